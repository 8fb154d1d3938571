// The two jest runs of `npm test` (scripts/run-tests.mjs): "vm", the test files that boot
// VMs or start QEMU/libvirt domains in the tests' libvirtd and namespace, and "rest", every
// other file (box builds that boot only plain QEMU included). Both runs go at once, so
// the suite takes about as long as its slower half instead of the sum of both.
// This file is also jest's `--filter` module (CommonJS: jest require()s it): given the test
// paths a run found (config and command-line filters applied), it keeps the ones of the run
// named by $KVM_LAB_TEST_RUN.
const fs = require("node:fs");
const path = require("node:path");

/** The runs, in the order their output and summary are given. */
const RUNS = ["vm", "rest"];

/**
 * E2E files that build boxes and boot only plain QEMU (user networking on 127.0.0.1): they
 * use neither the tests' libvirtd nor their namespace, so they run in "rest", beside the VM
 * files, instead of adding their minutes of CPU to the VM run's.
 */
const REST_FILES = ["test/e2e/box-builds.test.ts"];

/** Folders every file under which boots VMs. */
const VM_FOLDERS = ["test/e2e/"];

/** Files that start domains of their own without any of the markers below. */
const VM_FILES = ["test/cli/snapshot-libvirt.test.ts", "test/unit/drift/live-libvirt.test.ts", "test/cli/second-host.test.ts"];

/**
 * Words only a file that boots something uses: the helpers that build and boot boxes, run
 * vagrant or kvm-lab inside the tests' namespace, start the second libvirt host, make a
 * tiny domain or a VBoxManage twin that boots QEMU (test/support/e2e.ts, hosts.ts, twin.ts).
 */
const VM_MARKERS = /\b(buildTestBox|vagrantInNetns|kvmLabInNetns|startSecondHost|tinyDomain\w*|makeTwin)\b/;

/** Whether the test file at `file` (absolute, or relative to the working directory) boots VMs or domains. */
function bootsVms(file) {
  const absolute = path.resolve(file);
  const slashed = absolute.split(path.sep).join("/");
  if (REST_FILES.some((name) => slashed.endsWith(`/${name}`))) return false;
  if (VM_FOLDERS.some((folder) => slashed.includes(`/${folder}`)) || VM_FILES.some((name) => slashed.endsWith(`/${name}`))) return true;
  try {
    return VM_MARKERS.test(fs.readFileSync(absolute, "utf8"));
  } catch {
    return false;
  }
}

/** The run a test file belongs to. */
function runOf(file) {
  return bootsVms(file) ? "vm" : "rest";
}

/** jest --filter: the paths of the run $KVM_LAB_TEST_RUN names (all of them when it names none). */
async function filter(testPaths) {
  const run = process.env.KVM_LAB_TEST_RUN;
  if (!run) return { filtered: testPaths };
  if (!RUNS.includes(run)) throw new Error(`KVM_LAB_TEST_RUN=${run}: not a run; use one of ${RUNS.join(", ")}`);
  return { filtered: testPaths.filter((file) => runOf(file) === run) };
}

module.exports = filter;
module.exports.RUNS = RUNS;
module.exports.bootsVms = bootsVms;
module.exports.runOf = runOf;
