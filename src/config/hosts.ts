// The lab's libvirt hosts (`hosts.<name>`) and each machine's place on them: the hosts read
// in config order with their defaults, their rules (name, URI, numbers, the same libvirt
// twice, VirtualBox), each machine's `host` resolved, and the others placed by
// src/hosts/placement.ts. Every problem is collected, each naming its field and the fix.
// A lab without `hosts` gets none and its machines no `host`: everything as before.
import type { Problem } from "../errors.js";
import { parseIpv4 } from "../net/ipv4.js";
import { placeMachines, type Refusal } from "../hosts/placement.js";
import { DEFAULTS } from "./defaults.js";
import { libvirtIdentity, parseLibvirtUri } from "./libvirt-uri.js";
import { HOST_LABEL } from "./paths.js";
import { int, obj, str, type Raw } from "./read.js";
import { entryPath } from "./rules-counts.js";
import { closest } from "./suggest.js";
import type { LabHost, Machine, Provider } from "./types.js";

/** The lanMtu range: IPv6's minimum link MTU (RFC 8200) up to the common jumbo-frame maximum. */
export const LAN_MTU = { min: 1280, max: 9216 } as const;

/**
 * vagrant-libvirt settings a lab with hosts must leave alone: the machine's host's URI is its
 * connection. vagrant-libvirt 0.11.2 lib/vagrant-libvirt/config.rb finalize_from_uri derives
 * connect_via_ssh, host and port (over any set), username and id_ssh_key_file from `uri`;
 * _generate_uri builds the URI from host, connect_via_ssh, username, id_ssh_key_file and socket.
 */
export const CONNECTION_OPTIONS = ["uri", "host", "port", "connect_via_ssh", "socket", "username", "id_ssh_key_file"] as const;

/** How messages name a host: `hosts.b`, or `hosts["b c"]` for a name that cannot be a host's. */
export function hostPath(name: string): string {
  return /^[A-Za-z0-9_$-]+$/.test(name) ? `hosts.${name}` : `hosts[${JSON.stringify(name)}]`;
}

/** A place in the config for one problem of a (possibly counted) machine entry: said once, at the entry as written. */
function entryAt(machine: Machine): string {
  return (machine.entry.count ?? 0) > 1 ? entryPath(machine.entry) : machine.path;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** One host as read: the normalized host when its fields are whole, where it is reached, and which libvirt its URI opens. */
interface ReadHost {
  host?: LabHost;
  /** Its address, else its URI's host when that is an address. */
  place?: { path: string; address: string; what: string };
  libvirt?: { identity: string; words: string; local: boolean };
}

/**
 * The lab's hosts (config order, defaults applied) and each machine's `host` set (placed or
 * pinned); `raws` are the machines as written (counted entries expanded), for their `host`.
 * Problems are added to `problems`.
 */
export function normalizeHosts(config: Raw, provider: Provider, machines: Machine[], raws: Raw[], problems: Problem[]): LabHost[] {
  const pins = raws.map((raw) => str(raw.host));
  const written = config.hosts;
  // 1. No hosts: a machine that names one is the only problem there can be.
  if (written === undefined) {
    checkPinsWithoutHosts(machines, pins, problems);
    return [];
  }
  if (typeof written !== "object" || written === null || Array.isArray(written)) return []; // the shape check says so
  const machineProblems = problems.slice();

  // 2. The lab's hosts as a whole, then each host, then what no two hosts may share.
  const entries = Object.entries(written as Raw);
  if (provider === "virtualbox") {
    problems.push({
      path: "hosts",
      message: "VirtualBox drives one machine's hypervisor only: a lab on several hosts runs on libvirt",
      fix: 'use provider "libvirt" (or --provider libvirt), or remove hosts',
    });
  }
  if (entries.length === 0) problems.push({ path: "hosts", message: "is empty", fix: 'name at least one host (hosts: { here: { uri: "qemu:///system", cpus: 8, memory: 16384 } }), or remove hosts' });
  const read = entries.map(([name, value]) => readHost(name, obj(value), problems));
  checkSameLibvirt(read, entries.map(([name]) => hostPath(name)), problems);
  checkAddresses(read.flatMap((r) => r.place ?? []), problems);
  const hosts = read.flatMap((r) => r.host ?? []);

  // 3. The machines: the hosts they name, and no connection of their own.
  checkPins(entries.map(([name]) => name), machines, pins, problems);
  if (provider === "libvirt") checkConnectionOptions(machines, problems);

  // 4. Placement, with refusals only where their numbers can be trusted: every host whole,
  // and no machine's (or the defaults') cpus or memory reported as wrong.
  const wrongType = (raw: Raw) => (raw.cpus !== undefined && int(raw.cpus) === undefined) || (raw.memory !== undefined && int(raw.memory) === undefined);
  const numbersWrong = machineProblems.some((p) => /(^|\.)(cpus|memory)$/.test(p.path)) || [...raws, obj(config.defaults)].some(wrongType);
  if (provider !== "libvirt" || hosts.length === 0 || hosts.length !== entries.length || numbersWrong) return hosts;
  const placement = placeMachines(
    hosts,
    machines.map((m, i) => ({ name: m.name, cpus: m.cpus, memory: m.memory, ...(pins[i] !== undefined ? { pinned: pins[i] } : {}) })),
  );
  const uriOf = new Map(hosts.map((h) => [h.name, h.uri]));
  machines.forEach((machine, i) => {
    const name = placement.hosts[i];
    if (name !== undefined) machine.host = { name, uri: uriOf.get(name)!, placed: placement.placed[i] };
  });
  problems.push(...refusalProblems(placement.refusals, hosts, machines));
  return hosts;
}

/** A machine's `host` in a lab without hosts (a counted entry's once). */
function checkPinsWithoutHosts(machines: Machine[], pins: (string | undefined)[], problems: Problem[]): void {
  machines.forEach((machine, i) => {
    if (pins[i] === undefined || machine.entry.n !== 1) return;
    problems.push({
      path: `${entryAt(machine)}.host`,
      message: `names host "${pins[i]}", but the lab has no hosts`,
      fix: 'declare it under hosts (hosts: { name: { uri: "qemu+ssh://user@host/system", cpus: 8, memory: 16384 } }), or remove host',
    });
  });
}

/** One host's name and fields checked; the host itself when uri, cpus and memory are whole (the shape check says what is missing). */
function readHost(name: string, raw: Raw, problems: Problem[]): ReadHost {
  const path = hostPath(name);
  const out: ReadHost = {};
  if (!HOST_LABEL.test(name)) {
    problems.push({ path, message: `"${name}" cannot name a host: it goes into names on the hosts`, fix: "use letters, digits and hyphens (at most 63), not starting or ending with a hyphen" });
  } else if (/^\d+$/.test(name)) {
    problems.push({
      path,
      message: `"${name}" is made of digits only, and JavaScript puts such object keys first, in number order, so hosts.${name} would lose its place in the config's order (placement fills hosts in that order)`,
      fix: `add a letter, e.g. "host${name}"`,
    });
  }
  const uri = str(raw.uri);
  let uriAddress: string | undefined;
  if (uri !== undefined) {
    const parsed = parseLibvirtUri(uri);
    if (!parsed.ok) {
      problems.push({ path: `${path}.uri`, message: parsed.message, fix: parsed.fix });
    } else {
      const { host, port, params, local } = parsed.uri;
      out.libvirt = { identity: libvirtIdentity(parsed.uri), words: `${host}, ssh port ${port ?? 22}${params.socket ? `, socket ${params.socket}` : ""}`, local };
      if (host !== undefined && parseIpv4(host) !== undefined) uriAddress = host;
    }
  }
  const cpus = int(raw.cpus);
  const memory = int(raw.memory);
  if (cpus !== undefined && cpus < 1) problems.push({ path: `${path}.cpus`, message: `${cpus} vCPUs cannot run a machine`, fix: "use 1 or more: the vCPUs this host offers the lab" });
  if (memory !== undefined && memory < 1) problems.push({ path: `${path}.memory`, message: `${memory} MiB cannot run a machine`, fix: "use 1 or more: the MiB of memory this host offers the lab, e.g. 16384" });
  const address = str(raw.address);
  if (address !== undefined) {
    const problem = addressProblem(address);
    if (problem) problems.push({ path: `${path}.address`, message: problem, fix: "write the IPv4 address the other hosts reach this one at, e.g. 198.51.100.2" });
    else out.place = { path: `${path}.address`, address, what: path };
  } else if (uriAddress !== undefined) {
    out.place = { path: `${path}.uri`, address: uriAddress, what: `${path} (its URI's host)` };
  }
  const lanMtu = int(raw.lanMtu);
  if (lanMtu !== undefined && (lanMtu < LAN_MTU.min || lanMtu > LAN_MTU.max)) {
    problems.push({ path: `${path}.lanMtu`, message: `${lanMtu} is not an MTU of a LAN between hosts`, fix: `use ${LAN_MTU.min} to ${LAN_MTU.max} (default ${DEFAULTS.lanMtu}, Ethernet's)` });
  }
  if (uri !== undefined && cpus !== undefined && cpus >= 1 && memory !== undefined && memory >= 1) {
    out.host = { name, path, uri, cpus, memory, ...(address !== undefined ? { address } : {}), lanMtu: lanMtu ?? DEFAULTS.lanMtu };
  }
  return out;
}

/** Two hosts opening the same libvirt (two local ones, or one ssh host, port and socket): said at the second, which then counts at no address of its URI's. */
function checkSameLibvirt(read: ReadHost[], paths: string[], problems: Problem[]): void {
  const first = new Map<string, string>();
  read.forEach((r, i) => {
    if (!r.libvirt) return;
    const earlier = first.get(r.libvirt.identity);
    if (earlier === undefined) {
      first.set(r.libvirt.identity, paths[i]);
      return;
    }
    if (r.place?.path.endsWith(".uri")) delete r.place; // said here already
    problems.push({
      path: `${paths[i]}.uri`,
      message: r.libvirt.local
        ? `${earlier} is this machine's libvirt (qemu:///system) too: the same libvirt twice`
        : `reaches the libvirt of ${earlier} too (${r.libvirt.words}): the same libvirt twice`,
      fix: `keep one host per libvirt, offering what both offered (${earlier} and ${paths[i]} in one)`,
    });
  });
}

/** What is wrong with a host's address, if anything: it must be a unicast IPv4 address. */
function addressProblem(text: string): string | undefined {
  const value = parseIpv4(text);
  if (value === undefined) return `${text} is not an IPv4 address`;
  if (value === 0) return "0.0.0.0 is no host's address";
  if (value === 0xffffffff) return "255.255.255.255 is the broadcast address, no host's";
  if (value >= 0xe0000000 && value < 0xf0000000) return `${text} is a multicast address, no host's`;
  return undefined;
}

/**
 * No two hosts at one address: a host's `address` (else its URI's host, when an address) is
 * where the other hosts reach it, and the tunnels between hosts run from one to the other.
 */
function checkAddresses(places: { path: string; address: string; what: string }[], problems: Problem[]): void {
  const taken = new Map<string, { path: string; what: string }>();
  for (const place of places) {
    const first = taken.get(place.address);
    if (first === undefined) {
      taken.set(place.address, place);
    } else {
      problems.push({
        path: place.path,
        message: `${place.address} is where ${first.what} is reached too`,
        fix: "give each host its own address (two hosts at one address are one machine: keep one host for it)",
      });
    }
  }
}

/** Each machine's `host` names a key of `hosts` (a counted entry's once, at the entry). */
function checkPins(names: string[], machines: Machine[], pins: (string | undefined)[], problems: Problem[]): void {
  machines.forEach((machine, i) => {
    const pin = pins[i];
    if (pin === undefined || machine.entry.n !== 1 || names.includes(pin)) return;
    const meant = closest(pin, names);
    problems.push({
      path: `${entryAt(machine)}.host`,
      message: `"${pin}" is not a host of this lab`,
      fix: meant ? `did you mean "${meant}"?` : names.length ? `use one of: ${names.join(", ")}` : "declare it under hosts",
    });
  });
}

/** The connection settings of the escape hatch: a machine's host's URI is its connection. */
function checkConnectionOptions(machines: Machine[], problems: Problem[]): void {
  const said = new Set<string>();
  for (const machine of machines) {
    const { options, given } = machine.libvirt;
    for (const key of CONNECTION_OPTIONS) {
      if (!Object.hasOwn(options, key)) continue;
      const own = given.machine.includes(`options.${key}`) || !given.defaults.includes(`options.${key}`);
      const path = own ? `${entryAt(machine)}.libvirt.options.${key}` : `defaults.libvirt.options.${key}`;
      if (said.has(path)) continue;
      said.add(path);
      problems.push({
        path,
        message: `in a lab with hosts the machine's libvirt connection is its host's uri, from which vagrant-libvirt derives host, port, username, connect_via_ssh and id_ssh_key_file (config.rb finalize_from_uri): libvirt.${key} would contradict it`,
        fix: "remove it, and write the connection as the host's uri (hosts.<name>.uri: user, host, port, ?keyfile=, ?socket=)",
      });
    }
  }
}

/** Names in a message: all of them up to 8, else the first 8 and how many more. */
function namesText(names: string[]): string {
  return names.length <= 8 ? names.join(", ") : `${names.slice(0, 8).join(", ")} and ${names.length - 8} more`;
}

/** The refusals of placement as config problems, with the numbers (a counted entry's machines that fit nowhere: once). */
function refusalProblems(refusals: Refusal[], hosts: LabHost[], machines: Machine[]): Problem[] {
  const out: Problem[] = [];
  const noRoom = refusals.filter((r): r is Extract<Refusal, { kind: "no-room" }> => r.kind === "no-room");
  for (const refusal of refusals) {
    if (refusal.kind !== "overfull") continue;
    const host = hosts.find((h) => h.name === refusal.host)!;
    const over = [
      refusal.memory.needed > refusal.memory.offered ? `${refusal.memory.needed} MiB of the ${refusal.memory.offered}` : undefined,
      refusal.cpus.needed > refusal.cpus.offered ? `${refusal.cpus.needed} vCPUs of the ${refusal.cpus.offered}` : undefined,
    ].filter(Boolean);
    const raise = [
      refusal.memory.needed > refusal.memory.offered ? `memory to ${refusal.memory.needed}` : undefined,
      refusal.cpus.needed > refusal.cpus.offered ? `cpus to ${refusal.cpus.needed}` : undefined,
    ].filter(Boolean);
    const names = refusal.machines.map((i) => machines[i].name);
    out.push({
      path: host.path,
      message: `${namesText(names)} ${names.length === 1 ? "needs" : "need"} ${over.join(" and ")} it offers`,
      fix: `raise ${host.path} ${raise.join(" and ")}, or name another host on some of them (a machine without host is placed by kvm-lab)`,
    });
  }
  // A counted entry's machines that fit nowhere are said once, at the entry.
  const groups = new Map<string, (typeof noRoom)[number][]>();
  for (const refusal of noRoom) {
    const machine = machines[refusal.machine];
    const key = (machine.entry.count ?? 0) > 1 ? `entry ${machine.entry.index}` : `machine ${refusal.machine}`;
    groups.set(key, [...(groups.get(key) ?? []), refusal]);
  }
  for (const group of groups.values()) {
    const [first] = group;
    const machine = machines[first.machine];
    const names = group.map((r) => machines[r.machine].name);
    const counted = (machine.entry.count ?? 0) > 1;
    const whom = counted ? `${group.length} of its ${machine.entry.count} machines (${namesText(names)})` : "it";
    const free = first.free.map((f) => `${f.host} ${Math.max(0, f.memory)} MiB/${plural(Math.max(0, f.cpus), "vCPU")}`).join(", ");
    const why = first.biggerThanAnyHost ? "no host offers that much even empty" : `machines placed before ${group.length === 1 ? "it" : "them"}, larger or earlier in the config, took the rest`;
    out.push({
      // At `.host`, not the machine itself: a path is also a root whose rule errors load.ts takes for follow-ons.
      path: `${counted && group.length > 1 ? entryPath(machine.entry) : machine.path}.host`,
      message: `no host has room for ${whom}: ${counted ? "each" : "it"} needs ${machine.memory} MiB and ${plural(machine.cpus, "vCPU")}; free: ${free} (${why})`,
      fix: `add a host, ${raiseHint(first, machine, group.length, hosts)}, or give ${group.length === 1 ? "the machine" : "the machines"} less memory or cpus`,
    });
  }
  const needMemory = machines.reduce((sum, m) => sum + m.memory, 0);
  const needCpus = machines.reduce((sum, m) => sum + m.cpus, 0);
  const offerMemory = hosts.reduce((sum, h) => sum + h.memory, 0);
  const offerCpus = hosts.reduce((sum, h) => sum + h.cpus, 0);
  if (noRoom.length && (needMemory > offerMemory || needCpus > offerCpus)) {
    out.push({
      path: "hosts",
      message: `the lab's ${plural(machines.length, "machine")} ${machines.length === 1 ? "needs" : "need"} ${needMemory} MiB and ${plural(needCpus, "vCPU")}; the hosts offer ${offerMemory} MiB and ${plural(offerCpus, "vCPU")}`,
      fix: "add hosts or raise what they offer, or give the machines less",
    });
  }
  return out;
}

/** The host that needs the least raise to take `count` such machines, and to what: "hosts.b memory to 12288". */
function raiseHint(refusal: Extract<Refusal, { kind: "no-room" }>, machine: Machine, count: number, hosts: LabHost[]): string {
  let best: { host: LabHost; memory: number; cpus: number } | undefined;
  refusal.free.forEach((free, k) => {
    const memory = Math.max(0, count * machine.memory - Math.max(0, free.memory));
    const cpus = Math.max(0, count * machine.cpus - Math.max(0, free.cpus));
    if (!best || memory < best.memory || (memory === best.memory && cpus < best.cpus)) best = { host: hosts[k], memory, cpus };
  });
  if (!best) return "raise a host's memory or cpus";
  const parts = [
    best.memory > 0 ? `memory to ${best.host.memory + best.memory}` : undefined,
    best.cpus > 0 ? `cpus to ${best.host.cpus + best.cpus}` : undefined,
  ].filter(Boolean);
  return `raise a host's memory or cpus (${best.host.path} ${parts.join(" and ")})`;
}
