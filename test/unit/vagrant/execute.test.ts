// The vagrant choke point under injected faults: a fake `vagrant` on a path of our own.
import path from "node:path";
import fs from "fs-extra";
import { executeVagrant, vagrantVersion } from "../../../src/vagrant/execute.js";
import { VagrantFailedError, VagrantMissingError, VagrantTooOldError } from "../../../src/errors.js";
import { tempDir } from "../../support/tools.js";

let dir: string;
beforeAll(async () => {
  dir = await tempDir("kvm-lab-fake-vagrant-");
});
afterAll(() => fs.remove(dir));

async function fakeVagrant(name: string, script: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

test("vagrant not installed: VagrantMissingError, exit code 3, with an install hint", async () => {
  const error = await vagrantVersion({ binary: path.join(dir, "nope") }).catch((e) => e);
  expect(error).toBeInstanceOf(VagrantMissingError);
  expect(error.exitCode).toBe(3);
  expect(error.hint).toContain("apt-get install -y vagrant");
});

test("vagrant that is not executable: exit code 3", async () => {
  const file = path.join(dir, "not-executable");
  await fs.writeFile(file, "#!/bin/sh\n", { mode: 0o644 });
  const error = await executeVagrant(["--version"], { cwd: dir, binary: file }).catch((e) => e);
  expect(error).toBeInstanceOf(VagrantMissingError);
});

test("vagrant too old: VagrantTooOldError, exit code 3", async () => {
  const binary = await fakeVagrant("old", 'echo "Vagrant 2.0.4"');
  const error = await vagrantVersion({ binary }).catch((e) => e);
  expect(error).toBeInstanceOf(VagrantTooOldError);
  expect(error.exitCode).toBe(3);
  expect(error.message).toBe("vagrant 2.0.4 is older than 2.2.19, the oldest kvm-lab supports");
});

test("vagrant crashing: VagrantFailedError, exit code 4, its stderr kept", async () => {
  const binary = await fakeVagrant("crash", 'echo "boom: something broke" >&2; exit 1');
  const error = await executeVagrant(["up"], { cwd: dir, binary }).catch((e) => e);
  expect(error).toBeInstanceOf(VagrantFailedError);
  expect(error.exitCode).toBe(4);
  expect(error.stderr).toContain("boom: something broke");
});

test("vagrant hanging: bounded by the timeout", async () => {
  const binary = await fakeVagrant("hang", "sleep 30");
  const started = Date.now();
  const error = await executeVagrant(["up"], { cwd: dir, binary, timeoutMs: 500 }).catch((e) => e);
  expect(error).toBeInstanceOf(VagrantFailedError);
  expect(error.stderr).toContain("timed out after 500 ms");
  expect(Date.now() - started).toBeLessThan(10000);
});

test("the real vagrant: its version is read once and remembered", async () => {
  const first = vagrantVersion();
  expect(vagrantVersion()).toBe(first);
  expect(await first).toMatch(/^\d+\.\d+\.\d+$/);
});
