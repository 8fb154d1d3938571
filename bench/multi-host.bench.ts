// Benchmark (not a test; bench/multi-host.js runs it through jest, which compiles the
// TypeScript harness of test/support/hosts.ts): `kvm-lab up` of one lab
//   - 1 machine on one host,
//   - the same lab's 3 machines on one host (goal: at most 1.5x the 1-machine up: the
//     machines really come up in parallel),
//   - the 3 machines on two hosts (host B a namespace with its own libvirtd, reached over
//     qemu+ssh; the spanning networks' tunnels made first): a ratio of overheads on one
//     machine, not of capacity.
// Printed as `BENCH <line>`; QEMU software emulation, minimal box, everything in namespaces.
import fs from "fs-extra";
import { addBox, buildTestBox, cannotBootVms, labDir } from "../test/support/e2e.js";
import { BIN } from "../test/support/cli.js";
import { HOST_B_URI, onHostA, secondHostUnavailable, startSecondHost, stopSecondHost } from "../test/support/hosts.js";

const MINUTES = 60_000;
const say = (line: string) => process.stdout.write(`BENCH ${line}\n`);
const skip = cannotBootVms() ?? secondHostUnavailable();

/** The bench lab: `count` machines, on host a only or spread over a and b. */
function config(count: number, spread: boolean): string {
  const machines = ["m1", "m2", "m3"].slice(0, count).map((name, i) => {
    const host = spread ? (i === 0 ? "a" : "b") : "a";
    const nics = [`{ network: "lan", ip: "192.168.58.${10 + i}" }`, ...(i < 2 ? [`{ network: "back", ip: "10.32.0.${10 + i}" }`] : [])];
    return `    { name: "${name}", host: "${host}", nics: [${nics.join(", ")}] },`;
  });
  return `import { defineLab } from "kvm-lab";
export default defineLab({
  name: "benchmh",
  provider: "libvirt",
  box: "kvm-lab/debian-13-minimal",
  defaults: { cpus: 1, memory: 640, accel: "tcg", nested: false },
  hosts: {
    a: { uri: "qemu:///system", cpus: 4, memory: 4096 },${spread ? `
    b: { uri: "${HOST_B_URI}", cpus: 4, memory: 4096 },` : ""}
  },
  networks: { lan: { mode: "hostonly", cidr: "192.168.58.0/24" }, back: { mode: "intnet", cidr: "10.32.0.0/24" } },
  machines: [
${machines.join("\n")}
  ],
});
`;
}

const env = { VAGRANT_HOME: "/var/tmp/kvm-lab-e2e-vagrant-home", VAGRANT_CHECKPOINT_DISABLE: "1", CI: "1" };

/** Seconds of one `kvm-lab up` of `count` machines, then the lab destroyed. */
async function timeUp(count: number, spread: boolean): Promise<number> {
  const dir = await labDir("kvm-lab-bench-mh-", config(count, spread));
  try {
    const start = performance.now();
    const up = await onHostA(process.execPath, [BIN, "up"], { cwd: dir, env, timeoutMs: 40 * MINUTES });
    const seconds = (performance.now() - start) / 1000;
    if (up.exitCode !== 0) throw new Error(`kvm-lab up (${count} machines${spread ? ", two hosts" : ""}) failed:\n${up.stderr}`);
    return seconds;
  } finally {
    await onHostA(process.execPath, [BIN, "destroy"], { cwd: dir, env, timeoutMs: 10 * MINUTES });
    await fs.remove(dir);
  }
}

(skip ? test.skip : test)(
  "multi-host up timings",
  async () => {
    await addBox((await buildTestBox("debian-13-minimal")).catalog, "libvirt");
    await startSecondHost();
    try {
      // Host a's pool holds the box from the tests; host b is new, and its first up uploads the box there: a warm-up, not counted.
      const one = await timeUp(1, false);
      const three = await timeUp(3, false);
      await timeUp(3, true);
      const spread = await timeUp(3, true);
      say("multi-host up (libvirt, QEMU software emulation, debian-13-minimal, 640 MiB and 1 vCPU a machine; two hosts after a warm-up up that uploaded the box to b)");
      say(`  one host: 1 machine ${one.toFixed(1)} s, 3 machines ${three.toFixed(1)} s = ${(three / one).toFixed(2)}x (goal <= 1.5x: the machines come up in parallel)`);
      say(`  two hosts (1 + 2 machines, a host-only and an internal network spanning them): ${spread.toFixed(1)} s = ${(spread / three).toFixed(2)}x the same lab on one host (overheads on one machine: preflight of two hosts over ssh, the tunnels, the guests' SSH through host b)`);
    } finally {
      await stopSecondHost();
    }
  },
  200 * MINUTES,
);
if (skip) say(`multi-host up: skipped (${skip})`);
