// `kvm-lab up`, `check` and re-runs (a second up, reset + check) on a real two-machine lab (libvirt, QEMU software emulation,
// inside a network namespace of the benchmark's own): 1 and 2 machines, against the same
// checks run one `vagrant ssh -c` each, and one raw `ssh` running the whole script; then the
// same lab on the VirtualBox provider through the VBoxManage twin (test/support/vbox-twin),
// whose `up` is Vagrant's one machine at a time. Needs root, libvirtd, and the kvm-lab
// boxes (built here when missing, reused when current).
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fs from "fs-extra";
import { buildBox } from "../dist/boxes/build.js";
import { STATE_FILE, startLibvirtd, stopLibvirtd } from "../test/support/libvirtd.mjs";
import { timeMs } from "./util.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "dist", "cli", "bin.js");
const BOXES = "/var/tmp/kvm-lab-boxes";
const VAGRANT_HOME = "/var/tmp/kvm-lab-e2e-vagrant-home";
const CHECKS = ["cpu_flags", "kvm_modules", "dev_kvm", "kvm_runs", "kvm_ok", "nested_param", "libvirt"];

export async function benchChecks() {
  if (process.env.BENCH_CHECKS === "0") return console.log("check timings: skipped (BENCH_CHECKS=0)");
  if (process.getuid?.() !== 0) return console.log("check timings: skipped (needs root)");
  const started = startLibvirtd();
  if (!started.started) return console.log(`check timings: skipped (${started.reason}; the benchmark starts its own libvirtd)`);
  const { netns } = JSON.parse(await fs.readFile(STATE_FILE, "utf8"));
  const dir = await fs.mkdtemp("/var/tmp/kvm-lab-bench-lab-");
  const env = { ...process.env, VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1", CI: "1" };
  const inNs = (command, args, options = {}) => spawnSync("ip", ["netns", "exec", netns, command, ...args], { cwd: dir, env, encoding: "utf8", ...options });
  const time = (fn, runs = 3) => timeMs(fn, runs).median / 1000;
  try {
    for (const recipe of ["debian-13-kvm"]) {
      const built = await buildBox({ recipe, providers: ["libvirt", "virtualbox"], outDir: BOXES });
      for (const provider of ["libvirt", "virtualbox"]) execFileSync("vagrant", ["box", "add", "--force", "--provider", provider, built.catalog], { env, stdio: "ignore" });
    }
    await fs.chmod(dir, 0o755);
    await fs.writeJson(path.join(dir, "kvm-lab.config.json"), benchLab("libvirt"));
    let up;
    const upSeconds = time(() => (up = inNs("node", [BIN, "up"])), 1);
    if (up.status !== 0) throw new Error(`kvm-lab up failed:\n${up.stderr}`);
    inNs("node", [BIN, "ssh-config"]); // writes .kvm-lab/ssh-config for the raw ssh runs
    const script = await fs.readFile(path.join(ROOT, "templates", "guest-check.sh"), "utf8");
    const sshConfig = path.join(dir, ".kvm-lab", "ssh-config");
    const one = time(() => inNs("node", [BIN, "check", "one"]));
    const two = time(() => inNs("node", [BIN, "check"]));
    const raw = time(() => inNs("ssh", ["-F", sshConfig, "one", "sh -s"], { input: script }));
    inNs("vagrant", ["upload", path.join(ROOT, "templates", "guest-check.sh"), "/tmp/guest-check.sh", "one"]);
    const perCheck = time(() => {
      for (const check of CHECKS) inNs("vagrant", ["ssh", "one", "-c", `KVMLAB_ONLY=${check} sh /tmp/guest-check.sh`]);
    }, 1);
    // kvm-runs alone, and which probe ran in the guest: the KVM API probe (perl, milliseconds
    // where the guest's KVM runs its test code, at most its 5 s alarm where it does not), or,
    // on a box without perl, the QEMU probe (a QEMU start; up to its 20 s timeout).
    let runsEvidence = "";
    const runsAlone = time(() => {
      const run = inNs("node", [BIN, "check", "one", "--only", "kvm-runs", "--json"]);
      runsEvidence = JSON.parse(run.stdout).machines[0].checks[0].evidence;
    });
    // Re-runs (issue 14): `up` again with nothing changed (the record and the provider's own
    // answers, no vagrant), and `reset` (the clean snapshot restored, memory included: no boot)
    // followed by `check`, against the first `up` followed by `check`.
    let again;
    const upAgain = time(() => (again = inNs("node", [BIN, "up"])));
    if (!/nothing to do/.test(again.stdout)) throw new Error(`a second kvm-lab up found something to do:\n${again.stdout}${again.stderr}`);
    let saved;
    const save = time(() => (saved = inNs("node", [BIN, "snapshot", "save", "clean", "--force"])), 1);
    if (saved.status !== 0) throw new Error(`kvm-lab snapshot save failed:\n${saved.stderr}`);
    let resetSeconds = 0;
    const resetCheck = time(() => {
      const start = process.hrtime.bigint();
      const reset = inNs("node", [BIN, "reset"]);
      resetSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (reset.status !== 0) throw new Error(`kvm-lab reset failed:\n${reset.stderr}`);
      const check = inNs("node", [BIN, "check"]);
      if (check.status !== 0) throw new Error(`kvm-lab check after reset failed:\n${check.stdout}${check.stderr}`);
    });
    // The live network matrix (no --outside: the outside pairs are skipped, nothing leaves the namespace).
    let pairs = 0;
    const network = time(() => {
      const run = inNs("node", [BIN, "check", "--network", "--json"]);
      pairs = JSON.parse(run.stdout).pairs.filter((p) => p.status !== "skip").length;
    });
    console.log("check timings (2 machines, libvirt, QEMU software emulation; median seconds)");
    console.log(`  kvm-lab up (both machines at once): ${upSeconds.toFixed(1)} s`);
    console.log(`  check --network: ${pairs} pairs probed (ICMP + TCP each) in ${network.toFixed(2)} s`);
    console.log(`  all checks, kvm-lab check: 1 machine ${one.toFixed(2)} s, 2 machines ${two.toFixed(2)} s`);
    console.log(`  all checks, one raw ssh running the script: ${raw.toFixed(2)} s (kvm-lab check is ${(one / raw).toFixed(2)}x that; goal <= 1.3x)`);
    console.log(`  all checks, one vagrant ssh -c per check (${CHECKS.length} runs): ${perCheck.toFixed(2)} s (kvm-lab check is ${(perCheck / one).toFixed(1)}x faster; goal >= 5x)`);
    console.log(`  kvm-runs alone, kvm-lab check: 1 machine ${runsAlone.toFixed(2)} s (${runsEvidence})`);
    const pct = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;
    console.log(`  re-runs: a second kvm-lab up with nothing changed ${upAgain.toFixed(2)} s = ${pct(upAgain, upSeconds)} of the first (goal <= 5%)`);
    console.log(`  re-runs: snapshot save (2 machines, memory included) ${save.toFixed(2)} s; reset ${resetSeconds.toFixed(1)} s (last run)`);
    console.log(`  re-runs: reset + check ${resetCheck.toFixed(1)} s = ${pct(resetCheck, upSeconds + two)} of up + check ${(upSeconds + two).toFixed(1)} s (goal <= 15%)`);
    inNs("node", [BIN, "destroy"]);
    await benchVirtualboxTwin(dir, netns, env, time);
  } finally {
    inNs("node", [BIN, "destroy"]);
    stopLibvirtd();
    await fs.remove(dir);
  }
}

/** The bench lab; the same machines and networks on either provider. */
function benchLab(provider) {
  return {
    name: "benchlab",
    provider,
    box: "kvm-lab/debian-13-kvm",
    syncedFolder: false,
    defaults: { cpus: 1, memory: 1024, accel: "tcg" },
    networks: { mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" }, tenant: { mode: "intnet", cidr: "10.10.0.0/24" } },
    machines: [
      { name: "one", nics: [{ network: "mgmt", ip: "192.168.56.10" }, { network: "tenant", ip: "10.10.0.10" }] },
      { name: "two", nics: [{ network: "mgmt", ip: "192.168.56.11" }, { network: "tenant", ip: "10.10.0.11" }] },
    ],
  };
}

/** The VirtualBox path: the same lab through the VBoxManage twin (VirtualBox 7.0 on Linux), up and check. */
async function benchVirtualboxTwin(dir, netns, baseEnv, time) {
  const twinDir = path.join(ROOT, "test", "support", "vbox-twin");
  const home = await fs.mkdtemp("/tmp/kvmlab-twin-bench-");
  const env = { ...baseEnv, PATH: `${path.join(twinDir, "bin")}:${process.env.PATH}`, KVMLAB_TWIN_HOME: home, KVMLAB_TWIN_VBOX: "7.0", KVMLAB_TWIN_HOST: "linux" };
  const inNs = (args) => spawnSync("ip", ["netns", "exec", netns, "node", BIN, ...args], { cwd: dir, env, encoding: "utf8" });
  await fs.remove(path.join(dir, ".kvm-lab"));
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), benchLab("virtualbox"));
  try {
    let up;
    const upSeconds = time(() => (up = inNs(["up"])), 1);
    if (up.status !== 0) throw new Error(`kvm-lab up (VirtualBox twin) failed:\n${up.stderr}`);
    const one = time(() => inNs(["check", "one"]));
    const two = time(() => inNs(["check"]));
    const again = time(() => inNs(["up"]), 1);
    // Snapshots through VBoxManage: an online take, and a restore (power off, restore, start: the saved memory resumes).
    const save = inNs(["snapshot", "save", "clean", "--force"]);
    const reset = save.status === 0 ? time(() => inNs(["reset"]), 1) : NaN;
    console.log("VirtualBox path through the VBoxManage twin (same lab, QEMU software emulation; median seconds)");
    console.log(`  kvm-lab up (one machine at a time, as VirtualBox needs): ${upSeconds.toFixed(1)} s; again with nothing changed ${again.toFixed(2)} s`);
    console.log(`  all checks, kvm-lab check: 1 machine ${one.toFixed(2)} s, 2 machines ${two.toFixed(2)} s`);
    console.log(save.status === 0 ? `  snapshot save + reset: reset ${reset.toFixed(1)} s` : `  snapshot save failed: ${save.stderr.trim().split("\n")[0]}`);
  } finally {
    inNs(["destroy"]);
    spawnSync("ip", ["netns", "exec", netns, "node", path.join(twinDir, "cleanup.mjs"), home], { stdio: "inherit" });
  }
}
