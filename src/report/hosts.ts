// A lab's libvirt hosts for `kvm-lab plan`: each host's URI, machines and the memory and
// vCPUs they use of what it offers (a table for people, typed values for --json), and where
// each machine runs, placed by kvm-lab or named in the config.
import type { Lab, Machine } from "../config/types.js";
import { hostLoads } from "../hosts/placement.js";
import { formatTable } from "../text/table.js";
import { spansOf } from "../fabric/spans.js";

/** The hosts table with the line that says how machines were placed; empty for a lab without hosts. */
export function formatHostsTable(lab: Pick<Lab, "hosts" | "machines">, options: { width?: number } = {}): string {
  if (!lab.hosts.length) return "";
  const rows = hostLoads(lab).map((load) => [
    load.host,
    load.uri,
    load.machines.length ? load.machines.join(", ") : "-",
    `${load.memory.used}/${load.memory.offered}`,
    `${load.cpus.used}/${load.cpus.offered}`,
  ]);
  const pinned = lab.machines.filter((m) => m.host && !m.host.placed).length;
  const intro =
    `hosts: ${lab.hosts.length}; machines placed by memory, then vCPUs, each on the first host with room` +
    (pinned ? ` (${pinned} named by the config: pinned)` : "");
  // Given a width, the widest column (the machines, on a big lab) wraps under itself.
  const table = formatTable(["host", "URI", "machines", "memory MiB used/offered", "vCPUs used/offered"], rows, options);
  return `${intro}\n${table}`;
}

/** A machine's heading in the plan: its name, and on a lab with hosts where it runs. */
export function machineHeading(machine: Pick<Machine, "name" | "host">): string {
  if (!machine.host) return machine.name;
  return `${machine.name} on ${machine.host.name} (${machine.host.placed ? "placed" : "pinned"})`;
}

/** `plan --json`'s hosts: each host with its machines and numbers (address null when the config sets none). */
export function hostsJson(lab: Pick<Lab, "hosts" | "machines">) {
  const loads = hostLoads(lab);
  return lab.hosts.map((host, i) => ({
    name: host.name,
    uri: host.uri,
    address: host.address ?? null,
    lanMtu: host.lanMtu,
    machines: loads[i].machines,
    memory: loads[i].memory,
    cpus: loads[i].cpus,
  }));
}

/** The networks that span hosts (fabric/spans.ts), a line each: where, the tunnel, its MTU and the home of the host side. */
export function spanLines(lab: Lab): string[] {
  const spans = spansOf(lab);
  if (!spans.length) return [];
  return [
    "networks spanning hosts (VXLAN between the hosts' bridges, made by kvm-lab up, removed by kvm-lab destroy):",
    ...spans.map((s) => `  ${s.network.key} (${s.network.mode}): ${s.hosts.join(" + ")}; ${s.device}, VNI ${s.vni}, MTU ${s.mtu}${s.network.mode === "intnet" ? "" : `; gateway/DHCP on ${s.home}, ${s.parts.filter((p) => p.host !== s.home).map((p) => `${p.host} at ${p.hostIp}`).join(", ")}`}`),
  ];
}

/** The same for --json. */
export function spansJson(lab: Lab) {
  return spansOf(lab).map((s) => ({ network: s.network.key, mode: s.network.mode, hosts: s.hosts, home: s.home, vni: s.vni, device: s.device, bridge: s.bridge, mtu: s.mtu, parts: s.parts }));
}
