// Issue 15's bound: placing a 200-machine lab onto 20 libvirt hosts (src/hosts/placement.ts)
// takes under 100 ms. Printed beside the load of that lab's whole config (shape, normalize
// with the placement, rules), for scale, and how full the hosts end up.
import { checkConfig } from "../dist/config/load.js";
import { placeMachines } from "../dist/hosts/placement.js";
import { timeMs } from "./util.js";

const GOAL_MS = 100;
const SIZES = [
  { memory: 1024, cpus: 1 },
  { memory: 2048, cpus: 2 },
  { memory: 4096, cpus: 2 },
  { memory: 8192, cpus: 4 },
];

/** 200 machines of four sizes (every tenth pinned) on 20 hosts of three sizes. */
export function hostsLab(machineCount = 200, hostCount = 20) {
  const hosts = Object.fromEntries(
    Array.from({ length: hostCount }, (_, i) => [
      `kvm${String(i + 1).padStart(2, "0")}`,
      { uri: i === 0 ? "qemu:///system" : `qemu+ssh://root@198.51.100.${i + 1}/system`, cpus: 32 + (i % 3) * 16, memory: 65536 + (i % 3) * 32768 },
    ]),
  );
  const names = Object.keys(hosts);
  return {
    name: "bench-hosts",
    provider: "libvirt",
    box: "debian/bookworm64",
    hosts,
    networks: { lan: { mode: "intnet", cidr: "10.20.0.0/16" } },
    machines: Array.from({ length: machineCount }, (_, i) => ({
      name: `node${i}`,
      ...SIZES[(i * 7) % SIZES.length],
      ...(i % 10 === 0 ? { host: names[(i / 10) % names.length] } : {}),
      nics: [{ network: "lan", ip: `10.20.${Math.floor(i / 200)}.${(i % 200) + 10}` }],
    })),
  };
}

export async function benchHosts() {
  const config = hostsLab();
  const { lab } = checkConfig(config);
  const hosts = lab.hosts.map(({ name, cpus, memory }) => ({ name, cpus, memory }));
  const machines = lab.machines.map((m) => ({ name: m.name, cpus: m.cpus, memory: m.memory, ...(m.host && !m.host.placed ? { pinned: m.host.name } : {}) }));
  let placement;
  const place = timeMs(() => (placement = placeMachines(hosts, machines)), 200);
  const load = timeMs(() => checkConfig(config), 20);
  const used = placement.loads.filter((l) => l.machines.length);
  const fullest = Math.max(...placement.loads.map((l) => l.memory.used / l.memory.offered));
  console.log(`placement on libvirt hosts (issue 15), ${lab.machines.length} machines onto ${lab.hosts.length} hosts, median`);
  console.log(
    `  placement: ${place.median.toFixed(3)} ms (min ${place.min.toFixed(3)} ms; goal: under ${GOAL_MS} ms: ${place.median < GOAL_MS ? "met" : "MISSED"});` +
      ` ${placement.refusals.length} refusals, ${used.length} hosts used, the fullest at ${(fullest * 100).toFixed(0)}% of its memory`,
  );
  console.log(`  the whole config loaded (shape, normalize with placement, rules), for scale: ${load.median.toFixed(2)} ms (min ${load.min.toFixed(2)} ms)`);
}
