// The contributors' fast path, `npm run test:unit`: the tests that need no libvirtd, boot no
// VM and build no box, so no global setup (the full suite's starts libvirtd). `npm test`
// (jest.config.js) still runs every test, these included. Left to the full suite:
// test/golden.test.ts and test/cli/validate-plan.test.ts (`vagrant validate` of libvirt
// Vagrantfiles needs libvirtd), test/cli/create.test.ts (the same, plus tmux and a tmpfs),
// test/cli/box.test.ts (builds boxes), test/cli/lab-not-up.test.ts (vagrant status of a libvirt lab), test/unit/vbox-twin/ (Vagrant's VirtualBox driver
// against the twin, a network namespace as root), test/unit/snapshots/virtualbox.test.ts (the
// twin, qemu-img), test/cli/snapshot-libvirt.test.ts and test/unit/drift/live-libvirt.test.ts (tiny domains in libvirtd), test/cli/second-host.test.ts
// (a second libvirtd and sshd in a network namespace), test/e2e/ (boots VMs).
import os from "node:os";
import base from "./jest.config.js";

const { globalSetup, globalTeardown, ...rest } = base;

export default {
  ...rest,
  // Four workers even on two cores: much of the time goes to waiting on child processes (the
  // built CLI, Ruby, tmux, the fault tests' 5 s timeouts), not to the CPU. Measured on two
  // cores: 2 workers 65 s, 3 workers 61 s, 4 workers 59 s for the whole `npm run test:unit`;
  // 54-58 s since jiti keeps transpiled configs on disk (src/config/import-module.ts).
  maxWorkers: Math.max(4, os.availableParallelism()),
  testMatch: ["<rootDir>/test/unit/**/*.test.ts", "<rootDir>/test/cli/*.test.ts"],
  testPathIgnorePatterns: [
    "/node_modules/",
    "<rootDir>/test/unit/vbox-twin/",
    "<rootDir>/test/unit/snapshots/virtualbox\\.test\\.ts$",
    "<rootDir>/test/cli/(create|box|validate-plan|lab-not-up|snapshot-libvirt|second-host)\\.test\\.ts$",
    "<rootDir>/test/unit/drift/live-libvirt\\.test\\.ts$",
  ],
};
