// Placement of machines on libvirt hosts (src/hosts/placement.ts): first-fit decreasing after
// the pinned machines, deterministic, every refusal with its numbers, and a 200-machine lab
// on 20 hosts placed correctly (every host within what it offers) and fast.
import { placeMachines, type HostOffer, type MachineAsk } from "../../../src/hosts/placement.js";

const host = (name: string, memory: number, cpus: number): HostOffer => ({ name, memory, cpus });
const machine = (name: string, memory: number, cpus: number, pinned?: string): MachineAsk => ({ name, memory, cpus, ...(pinned ? { pinned } : {}) });

/** Each machine's host by name, for readable expectations. */
function where(hosts: HostOffer[], machines: MachineAsk[]): Record<string, string | undefined> {
  const placement = placeMachines(hosts, machines);
  return Object.fromEntries(machines.map((m, i) => [m.name, placement.hosts[i]]));
}

test("largest first (memory, then vCPUs, then config order), each onto the first host in config order with room for both", () => {
  const hosts = [host("a", 8192, 4), host("b", 16384, 16)];
  const machines = [machine("small", 1024, 1), machine("big", 8192, 2), machine("wide", 4096, 8), machine("mid1", 4096, 2), machine("mid2", 4096, 2)];
  // big (8192) fills a; wide (4096, 8 vCPUs) is before mid1/mid2 (same memory, more vCPUs) and fits b only; then mid1, mid2, small on b.
  expect(where(hosts, machines)).toEqual({ big: "a", wide: "b", mid1: "b", mid2: "b", small: "b" });
  const placement = placeMachines(hosts, machines);
  expect(placement.loads).toEqual([
    { host: "a", machines: ["big"], memory: { used: 8192, offered: 8192 }, cpus: { used: 2, offered: 4 } },
    { host: "b", machines: ["small", "wide", "mid1", "mid2"], memory: { used: 13312, offered: 16384 }, cpus: { used: 13, offered: 16 } },
  ]);
  expect(placement.placed).toEqual([true, true, true, true, true]);
  expect(placement.refusals).toEqual([]);
});

test("a host without vCPUs left takes no machine even with memory free", () => {
  expect(where([host("a", 65536, 2), host("b", 4096, 8)], [machine("m1", 1024, 2), machine("m2", 1024, 1)])).toEqual({ m1: "a", m2: "b" });
});

test("packs onto few hosts: the first host fills before the second is used", () => {
  const machines = Array.from({ length: 6 }, (_, i) => machine(`n${i}`, 2048, 1));
  const { loads } = placeMachines([host("a", 8192, 8), host("b", 8192, 8), host("c", 8192, 8)], machines);
  expect(loads.map((l) => l.machines)).toEqual([["n0", "n1", "n2", "n3"], ["n4", "n5"], []]);
});

test("pinned machines go to their host first, whatever their size; the others fill around them", () => {
  const hosts = [host("a", 8192, 8), host("b", 8192, 8)];
  const machines = [machine("free1", 6144, 2), machine("pin", 4096, 2, "a"), machine("free2", 4096, 2)];
  const placement = placeMachines(hosts, machines);
  expect(placement.hosts).toEqual(["b", "a", "a"]);
  expect(placement.placed).toEqual([true, false, true]);
});

test("deterministic: the same input places the same way, and equal machines keep config order", () => {
  const hosts = [host("a", 4096, 4), host("b", 4096, 4), host("c", 4096, 4)];
  const machines = Array.from({ length: 6 }, (_, i) => machine(`m${i}`, 2048, 2));
  const first = placeMachines(hosts, machines);
  for (let run = 0; run < 5; run++) expect(placeMachines(hosts, machines)).toEqual(first);
  expect(first.hosts).toEqual(["a", "a", "b", "b", "c", "c"]);
});

test("a host its pinned machines overfill is refused with the sums", () => {
  const placement = placeMachines([host("a", 16384, 8)], [machine("a1", 12288, 4, "a"), machine("a2", 8192, 2, "a")]);
  expect(placement.refusals).toEqual([{ kind: "overfull", host: "a", machines: [0, 1], memory: { needed: 20480, offered: 16384 }, cpus: { needed: 6, offered: 8 } }]);
});

test("a machine that fits nowhere is refused with each host's free room, and whether it is bigger than any host", () => {
  const hosts = [host("a", 2048, 2), host("b", 4096, 8)];
  const placement = placeMachines(hosts, [machine("huge", 8192, 4), machine("ok", 2048, 2)]);
  expect(placement.hosts).toEqual([undefined, "a"]);
  expect(placement.refusals).toEqual([
    { kind: "no-room", machine: 0, free: [{ host: "a", memory: 2048, cpus: 2 }, { host: "b", memory: 4096, cpus: 8 }], biggerThanAnyHost: true },
  ]);
  // Room taken by the machines before it: not bigger than a host, but none has room left.
  const full = placeMachines([host("a", 4096, 4)], [machine("m1", 4096, 2), machine("m2", 2048, 1)]);
  expect(full.refusals).toEqual([{ kind: "no-room", machine: 1, free: [{ host: "a", memory: 0, cpus: 2 }], biggerThanAnyHost: false }]);
});

test("a machine pinned to a host not given is left out (the config's rules name it)", () => {
  const placement = placeMachines([host("a", 4096, 4)], [machine("lost", 1024, 1, "nowhere"), machine("m", 1024, 1)]);
  expect(placement.hosts).toEqual([undefined, "a"]);
  expect(placement.refusals).toEqual([]);
  expect(placement.loads[0].memory.used).toBe(1024);
});

test("200 machines on 20 hosts: every machine placed, no host above what it offers, loads add up; well under 100 ms", () => {
  const hosts = Array.from({ length: 20 }, (_, i) => host(`h${i}`, 65536 + (i % 3) * 16384, 32 + (i % 4) * 8));
  const sizes = [1024, 2048, 4096, 8192];
  const machines = Array.from({ length: 200 }, (_, i) => machine(`m${i}`, sizes[(i * 7) % 4], 1 + ((i * 5) % 4), i % 25 === 0 ? `h${i % 20}` : undefined));
  const start = process.hrtime.bigint();
  const placement = placeMachines(hosts, machines);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  expect(placement.refusals).toEqual([]);
  expect(placement.hosts.every((h) => h !== undefined)).toBe(true);
  for (const load of placement.loads) {
    expect(load.memory.used).toBeLessThanOrEqual(load.memory.offered);
    expect(load.cpus.used).toBeLessThanOrEqual(load.cpus.offered);
    const on = machines.filter((_, i) => placement.hosts[i] === load.host);
    expect(load.machines).toEqual(on.map((m) => m.name));
    expect(load.memory.used).toBe(on.reduce((sum, m) => sum + m.memory, 0));
  }
  machines.forEach((m, i) => {
    if (m.pinned) expect(placement.hosts[i]).toBe(m.pinned);
  });
  expect(ms).toBeLessThan(100);
});
