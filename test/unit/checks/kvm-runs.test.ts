// kvm-runs of the real templates/guest-check.sh on this host, fed over `sh -s` as the guests
// get it: the KVM API probe (perl) first, the QEMU probe without perl, a skip without either,
// and the faults of a real /dev/kvm (not openable, a guest that halts or never exits).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa, execaSync } from "execa";
import { probeKvm } from "../../../src/host/preflight.js";
import { ROOT, tempDir } from "../../support/tools.js";

const SCRIPT = fs.readFileSync(path.join(ROOT, "templates", "guest-check.sh"), "utf8");
const PERL_PASS = "KVM API probe (perl): KVM_RUN exited KVM_EXIT_IO, out 0x4b to port 0xf4";
const QEMU_PROBE = "QEMU probe (qemu-system-x86_64 -accel kvm; no perl): ";
/** The tools check_kvm_runs uses besides perl and QEMU (coreutils). */
const TOOLS = ["uname", "mktemp", "dd", "timeout", "head", "tr", "rm", "cat"];

const devKvm = (() => {
  try {
    return fs.statSync("/dev/kvm").isCharacterDevice();
  } catch {
    return false;
  }
})();
const which = (tool: string) => execaSync("sh", ["-c", `command -v ${tool}`], { reject: false }).stdout.trim();
const qemu = which("qemu-system-x86_64");
const x86 = os.arch() === "x64";
if (!devKvm) process.stderr.write("kvm-runs: no /dev/kvm on this host, skipping the tests that run a guest\n");
if (!x86) process.stderr.write(`kvm-runs: this host is ${os.arch()}, not x86_64, skipping the tests that run a guest\n`);
const withKvm = devKvm && x86 ? test : test.skip;

interface KvmRuns {
  status: string;
  evidence: string;
  seconds: number;
}

/** Runs kvm_runs alone (KVMLAB_ONLY) from the script's text on stdin; PATH, user and text as asked. */
async function kvmRuns(options: { path?: string; user?: number; script?: string } = {}): Promise<KvmRuns> {
  const asUser = options.user === undefined ? [] : ["setpriv", `--reuid=${options.user}`, `--regid=${options.user}`, "--clear-groups"];
  const [file, ...args] = [...asUser, "/bin/sh", "-s"];
  const started = process.hrtime.bigint();
  const result = await execa(file, args, {
    input: options.script ?? SCRIPT,
    cwd: "/",
    env: { KVMLAB_ONLY: "kvm_runs", ...(options.path ? { PATH: options.path } : {}) },
    timeout: 60_000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = result.stdout.split("\n").filter((l) => l.startsWith("KVMLAB\tkvm-runs\t"));
  expect(lines).toHaveLength(1);
  const [, , status, evidence] = lines[0].split("\t");
  return { status, evidence, seconds };
}

/** A PATH of one folder holding the script's tools from this host, plus the extra ones named. */
async function toolFolder(extra: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir("kvm-lab-kvm-runs-");
  fs.chmodSync(dir, 0o755);
  for (const tool of TOOLS) fs.symlinkSync(which(tool), path.join(dir, tool));
  for (const [name, target] of Object.entries(extra)) fs.symlinkSync(target, path.join(dir, name));
  return dir;
}

/** The guest code of the KVM API probe replaced: a fault the real KVM answers. */
function withGuestCode(bytes: number[]): string {
  const code = bytes.map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("");
  const script = SCRIPT.replace(/^my \$CODE = .*$/m, `my $CODE = "${code}";`);
  expect(script).not.toBe(SCRIPT);
  return script;
}

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Whether the KVM API probe passes here; where not, whether QEMU's -accel kvm can run a guest either (the skip reason). */
let perlProbe: KvmRuns | undefined;
async function hostRunsGuests(): Promise<boolean> {
  perlProbe ??= await kvmRuns();
  if (perlProbe.status === "pass") return true;
  const oracle = await probeKvm();
  if (oracle.runs) return true;
  process.stderr.write(`kvm-runs: this host's /dev/kvm cannot run a guest (QEMU probe: ${oracle.evidence}; KVM API probe: ${perlProbe.evidence}), skipping\n`);
  return false;
}

withKvm("with perl, the KVM API probe runs a guest on this host's /dev/kvm: no QEMU started", async () => {
  if (!(await hostRunsGuests())) return;
  expect(perlProbe).toMatchObject({ status: "pass", evidence: PERL_PASS });
  // Well under a second (about 20 ms on the build host; the QEMU probe about 0.1 s).
  expect(perlProbe!.seconds).toBeLessThan(1);
});

withKvm("the KVM API probe names the exit when the guest halts before its out, and gives up on a guest that never exits", async () => {
  if (!(await hostRunsGuests())) return;
  // hlt first: KVM_RUN ends with KVM_EXIT_HLT, not the out the probe waits for.
  expect(await kvmRuns({ script: withGuestCode([0xf4, 0x90, 0x90, 0x90, 0x90]) })).toMatchObject({
    status: "fail",
    evidence: "KVM API probe (perl): KVM_RUN exited with KVM_EXIT_HLT (5), not KVM_EXIT_IO (the guest's out 0xf4)",
  });
  // An in from port 0xf4 instead of the out.
  expect((await kvmRuns({ script: withGuestCode([0xb0, 0x4b, 0xe4, 0xf4, 0xf4]) })).evidence).toBe(
    "KVM API probe (perl): KVM_RUN exited KVM_EXIT_IO, but with in from port 0xf4 (size 1, count 1) instead of out 0x4b to port 0xf4",
  );
  // jmp $: the alarm ends KVM_RUN after 5 s.
  const loop = await kvmRuns({ script: withGuestCode([0xeb, 0xfe, 0x90, 0x90, 0x90]) });
  expect(loop).toMatchObject({ status: "fail", evidence: "KVM API probe (perl): KVM_RUN did not return within 5 s (the guest never exited)" });
  expect(loop.seconds).toBeLessThan(9);
}, 30_000);

const asRoot = process.getuid?.() === 0 && which("setpriv") !== "";
if (!asRoot) process.stderr.write("kvm-runs: not root or no setpriv, skipping the /dev/kvm-not-openable fault\n");
(devKvm && asRoot ? test : test.skip)("a /dev/kvm the user cannot open: the KVM API probe fails and says why", async () => {
  const nobody = 65534;
  const opens = execaSync("setpriv", [`--reuid=${nobody}`, `--regid=${nobody}`, "--clear-groups", "sh", "-c", "exec 3<>/dev/kvm"], { reject: false });
  if (opens.exitCode === 0) {
    process.stderr.write("kvm-runs: /dev/kvm is open to everyone here, skipping the not-openable fault\n");
    return;
  }
  expect(await kvmRuns({ user: nobody })).toEqual({
    status: "fail",
    evidence: "KVM API probe (perl): cannot open /dev/kvm read-write: Permission denied",
    seconds: expect.any(Number),
  });
});

if (!qemu) process.stderr.write("kvm-runs: no qemu-system-x86_64 on this host, skipping the QEMU fallback test\n");
(devKvm && x86 && qemu ? test : test.skip)("without perl, the QEMU probe is the fallback, and its evidence says so", async () => {
  const dir = await toolFolder({ "qemu-system-x86_64": qemu });
  folders.push(dir);
  const result = await kvmRuns({ path: dir });
  expect(result.evidence.startsWith(QEMU_PROBE)).toBe(true);
  const oracle = await probeKvm();
  expect(result.status).toBe(oracle.runs ? "pass" : "fail");
  if (oracle.runs) expect(result.evidence).toBe(`${QEMU_PROBE}a test guest ran and wrote K to its serial port`);
});

(devKvm ? test : test.skip)("without perl and QEMU, kvm-runs is skipped and says why", async () => {
  const dir = await toolFolder();
  folders.push(dir);
  expect(await kvmRuns({ path: dir })).toMatchObject({
    status: "skip",
    evidence: "neither perl (the KVM API probe) nor qemu-system-x86_64 (the QEMU probe) is installed, so no test guest can be run",
  });
});

(devKvm ? test : test.skip)("on a machine that is not x86_64 no probe runs x86 guest code: a skip that names the machine", async () => {
  const dir = await toolFolder({ perl: which("perl") || "/usr/bin/perl" });
  folders.push(dir);
  fs.rmSync(path.join(dir, "uname"));
  fs.writeFileSync(path.join(dir, "uname"), "#!/bin/sh\necho aarch64\n", { mode: 0o755 });
  expect(await kvmRuns({ path: dir })).toMatchObject({ status: "skip", evidence: "the test guests are x86 code and this machine is aarch64" });
});
