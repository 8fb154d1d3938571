// Rules of machine counts (config/count.ts expands them): a usable count, `{n}` only with a
// count, a hostname of its own per counted machine, names unique once expanded, and the
// stepped addresses and host ports still inside their block and range. A message about a
// counted entry names the entry as written (`machines[2] (compute{n})`) and the machine.
import type { Problem } from "../errors.js";
import { broadcastOf, contains, formatIpv4, parseIpv4, type Cidr } from "../net/ipv4.js";
import { MAX_COUNT, NUMBER_PLACEHOLDER } from "./count.js";
import { HOST_LABEL, isWithin } from "./paths.js";
import type { Lab, Machine, MachineEntry, Nic, Provision } from "./types.js";

const MAX_PORT = 65535;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** How messages name a config entry as written: `machines[2] (compute{n})`, or `machines[2]` when its name is unusable. */
export function entryPath(entry: MachineEntry): string {
  const sample = entry.name.split(NUMBER_PLACEHOLDER).join("1");
  return sample && HOST_LABEL.test(sample) ? `machines[${entry.index}] (${entry.name})` : `machines[${entry.index}]`;
}

/** Whether the machine is one of several of a counted entry. */
const isCounted = (machine: Machine): boolean => (machine.entry.count ?? 0) > 1;

/** A machine named in messages: its path (`machines[0] (web)`), or `machine 2 of machines[1] (compute{n}), "compute2"` for a counted one. */
export function machineWords(machine: Machine): string {
  if (!isCounted(machine)) return machine.path;
  return `machine ${machine.entry.n} of ${entryPath(machine.entry)}, "${machine.name}"`;
}

/** The name rule's message when a name is taken twice: a counted entry is named as written, with the machine that clashes. */
export function duplicateNameProblem(machine: Machine, first: Machine): Problem {
  const fix = "give every machine its own name";
  if (isCounted(machine)) {
    return {
      path: `${entryPath(machine.entry)}.name`,
      message: `its machine ${machine.entry.n}, "${machine.name}", is already the name of ${machineWords(first)}`,
      fix: `${fix} (a counted entry's machines are named ${machine.entry.name.includes(NUMBER_PLACEHOLDER) ? `${machine.entry.name} with {n} from ${machine.entry.first} to ${machine.entry.first + machine.entry.count! - 1}` : `${machine.entry.name}${machine.entry.first} to ${machine.entry.name}${machine.entry.first + machine.entry.count! - 1}`})`,
    };
  }
  return { path: `${machine.path}.name`, message: `"${machine.name}" is already the name of ${machineWords(first)}`, fix };
}

/** Every count rule over the lab; runs after the per-machine rules, whose follow-on errors it replaces. */
export function checkCounts(lab: Lab, errors: Problem[], warnings: Problem[]): void {
  const firsts = lab.machines.filter((m) => m.entry.n === 1);
  for (const first of firsts) checkEntry(first, errors, warnings);
  for (const first of firsts.filter(isCounted)) {
    const machines = lab.machines.filter((m) => m.entry.index === first.entry.index);
    checkSteppedAddresses(machines, errors);
    checkSteppedPorts(machines, errors);
    oneNameClashPerEntry(`${entryPath(first.entry)}.name`, errors);
  }
}

/** The entry itself: its count, `{n}` without a count, one hostname shared by every machine. */
function checkEntry(first: Machine, errors: Problem[], warnings: Problem[]): void {
  const { entry } = first;
  const at = entryPath(entry);
  if (entry.count !== undefined && entry.count < 1) {
    errors.push({
      path: `${at}.count`,
      message: `${entry.count} is not a number of machines`,
      fix: "use 1 or more (the entry stands for that many machines), or remove count for one machine",
    });
  } else if (entry.count !== undefined && entry.count > MAX_COUNT) {
    errors.push({ path: `${at}.count`, message: `${entry.count} machines are more than one lab can run`, fix: `use at most ${MAX_COUNT}` });
  }
  if (entry.countFrom !== undefined && entry.countFrom < 0) {
    errors.push({ path: `${at}.countFrom`, message: `${entry.countFrom} cannot number a machine`, fix: "use 0 or more (the first machine's number; default 1)" });
  }
  if (entry.count === undefined) {
    if (entry.countFrom !== undefined) {
      warnings.push({ path: `${at}.countFrom`, message: "numbers the machines of an entry with count, and this entry has none", fix: "add count: N, or remove countFrom" });
    }
    for (const key of ["name", "hostname"] as const) {
      const written = entry[key];
      if (!written?.includes(NUMBER_PLACEHOLDER)) continue;
      warnings.push({
        path: `${at}.${key}`,
        message: `${NUMBER_PLACEHOLDER} is the machine's number in an entry with count, and this entry has none: it is one machine, ${key} "${first[key]}"`,
        fix: `add count: N for N machines, or write the ${key} without ${NUMBER_PLACEHOLDER}`,
      });
    }
    return;
  }
  checkNumberInSteps(first, at, warnings);
  if (entry.count > 1 && entry.hostname !== undefined && !entry.hostname.includes(NUMBER_PLACEHOLDER)) {
    const dot = entry.hostname.indexOf(".");
    const example = dot > 0 ? `${entry.hostname.slice(0, dot)}${NUMBER_PLACEHOLDER}${entry.hostname.slice(dot)}` : `${entry.hostname}${NUMBER_PLACEHOLDER}`;
    errors.push({
      path: `${at}.hostname`,
      message: `all ${entry.count} machines of this entry would have the hostname "${entry.hostname}"`,
      fix: `put ${NUMBER_PLACEHOLDER} where each machine's number goes, e.g. "${example}"`,
    });
  }
}

/** The texts of a step that reach the guest or the host's tools as written, by field: `args[1]`, `env.ROLE`, `inline`. */
function stepTexts(step: Provision): [string, string][] {
  switch (step.type) {
    case "shell":
      return [
        ...(step.inline !== undefined ? [["inline", step.inline] as [string, string]] : []),
        ...(step.script !== undefined ? [["path", step.script] as [string, string]] : []),
        ...step.args.map((arg, i): [string, string] => [`args[${i}]`, arg]),
        ...Object.entries(step.env).map(([key, value]): [string, string] => [`env.${key}`, value]),
      ];
    case "file":
      return [["source", step.source], ["destination", step.destination]];
    case "ansible":
    case "ansible_local":
      return [["playbook", step.playbook], ...(step.limit !== undefined ? [["limit", step.limit] as [string, string]] : [])];
    default:
      return [];
  }
}

/**
 * `{n}` in a counted entry's provisioning step is not the machine's number (count.ts numbers
 * the name, hostname and virtualbox.name only): it would reach the script as the three
 * characters, the same on every machine. Said once, at the entry as written.
 */
function checkNumberInSteps(first: Machine, at: string, warnings: Problem[]): void {
  first.provision.forEach((step, i) => {
    for (const [field, text] of stepTexts(step)) {
      if (!text.includes(NUMBER_PLACEHOLDER)) continue;
      warnings.push({
        path: `${at}.provision[${i}].${field}`,
        message: `${NUMBER_PLACEHOLDER} is the machine's number only in name, hostname and virtualbox.name; here every machine gets "${NUMBER_PLACEHOLDER}" as written`,
        fix: `read the number in the guest, where each machine's hostname has it (\`hostname -s\` is ${first.hostname.split(".")[0]} on the first), or write the machines as entries of their own`,
      });
    }
  });
}

/** Two entries counted alike clash machine by machine: the first clash is said, with how many more. */
function oneNameClashPerEntry(path: string, errors: Problem[]): void {
  const clashes = errors.filter((e) => e.path === path && e.message.startsWith("its machine "));
  if (clashes.length < 2) return;
  const [first, ...more] = clashes;
  first.message = `${first.message} (and ${more.length} more of its machines)`;
  for (const e of more) errors.splice(errors.indexOf(e), 1);
}

/** Removes the per-machine errors at `path` (they said the same thing without the count). */
function replaceAt(errors: Problem[], paths: string[]): void {
  for (let i = errors.length - 1; i >= 0; i--) if (paths.includes(errors[i].path)) errors.splice(i, 1);
}

/** The NIC of `machine` written at the same place as `nic` of another machine of the entry. */
function sameNic(machine: Machine, nic: Nic, of: Machine): Nic | undefined {
  const suffix = nic.path.slice(of.path.length);
  return machine.nics.find((n) => n.path.slice(machine.path.length) === suffix);
}

/** Where the stepped address of machine N is no longer a host of the block (outside it, or its broadcast address). */
function leavesBlock(address: number, block: Cidr): string | undefined {
  if (!contains(block, address)) return `outside ${block.text}`;
  if (address === broadcastOf(block)) return `the broadcast address of ${block.text}`;
  return undefined;
}

/** Static addresses go up by one per machine: the last ones must still be hosts of the block. */
function checkSteppedAddresses(machines: Machine[], errors: Problem[]): void {
  const [first] = machines;
  for (const nic of first.nics) {
    const block = nic.network.cidr;
    const start = nic.ip === undefined ? undefined : parseIpv4(nic.ip);
    if (!block || start === undefined) continue;
    const others = machines.slice(1).flatMap((machine) => sameNic(machine, nic, first) ?? []);
    if (leavesBlock(start, block) || start === block.network) {
      // The first machine's address is already wrong (the ordinary rule says so): the others follow from it.
      replaceAt(errors, others.map((own) => `${own.path}.ip`));
      continue;
    }
    const offending = machines.flatMap((machine) => {
      const own = sameNic(machine, nic, first);
      const address = own?.ip === undefined ? undefined : parseIpv4(own.ip);
      if (!own || address === undefined || machine.entry.n === 1) return [];
      // Past 255.255.255.255 the address wraps to 0.0.0.0 (count.ts): outside every block but 0/0.
      const where = address < start ? `outside ${block.text}` : leavesBlock(address, block);
      return where ? [{ machine, own, where }] : [];
    });
    if (!offending.length) continue;
    const [worst] = offending;
    const count = first.entry.count!;
    const last = broadcastOf(block) - count;
    replaceAt(errors, offending.map((o) => `${o.own.path}.ip`));
    errors.push({
      path: `${entryPath(first.entry)}${nic.path.slice(first.path.length)}.ip`,
      message:
        `with count ${count} the address goes up by one per machine from ${nic.ip}: machine ${worst.machine.entry.n} (${worst.machine.name}) would get ${worst.own.ip}, ${worst.where}` +
        (offending.length > 1 ? ` (and ${offending.length - 1} more)` : ""),
      fix: last >= block.network + 1 ? `start at ${formatIpv4(last)} or lower, or use a bigger block than ${block.text}` : `use a bigger block than ${block.text}, or a smaller count`,
    });
  }
}

/** Forwarded host ports go up by one per machine: the last ones must still be ports. */
function checkSteppedPorts(machines: Machine[], errors: Problem[]): void {
  const [first] = machines;
  const count = first.entry.count!;
  const lists = (m: Machine) => [
    { at: `${m.path}.forwards`, suffix: ".forwards", forwards: m.forwards },
    ...m.nics.map((nic) => ({ at: `${nic.path}.forwards`, suffix: `${nic.path.slice(m.path.length)}.forwards`, forwards: nic.forwards })),
  ];
  lists(first).forEach((list, l) => {
    list.forwards.forEach((forward, f) => {
      if (forward.host < 1 || forward.host > MAX_PORT) return; // not a port on the first machine either: checkForward says so
      const offending = machines.flatMap((machine) => {
        const own = lists(machine)[l]?.forwards[f];
        return own && own.host > MAX_PORT ? [{ machine, at: `${lists(machine)[l].at}[${f}].host`, port: own.host }] : [];
      });
      if (!offending.length) return;
      const [worst] = offending;
      replaceAt(errors, offending.map((o) => o.at));
      errors.push({
        path: `${entryPath(first.entry)}${list.suffix}[${f}].host`,
        message:
          `with count ${count} the host port goes up by one per machine from ${forward.host}: machine ${worst.machine.entry.n} (${worst.machine.name}) would get ${worst.port}, above ${MAX_PORT}` +
          (offending.length > 1 ? ` (and ${offending.length - 1} more)` : ""),
        fix: `start at ${MAX_PORT - count + 1} or lower`,
      });
    });
  });
}

/**
 * The same problem on every machine of a counted entry (a box missing, a bad cpuModel) is
 * said once, at the entry as written: `machines[2] (compute{n}).box`, not once per machine.
 */
export function collapseCounted(lab: Lab, problems: Problem[]): Problem[] {
  const entries = new Map<number, Machine[]>();
  for (const machine of lab.machines.filter(isCounted)) entries.set(machine.entry.index, [...(entries.get(machine.entry.index) ?? []), machine]);
  const drop = new Set<Problem>();
  const replace = new Map<Problem, Problem>();
  for (const machines of entries.values()) {
    const paths = machines.map((m) => m.path);
    if (new Set(paths).size !== paths.length) continue; // names unusable: a path cannot tell the machines apart
    const { entry } = machines[0];
    const pattern = entry.name.includes(NUMBER_PLACEHOLDER) ? entry.name : `${entry.name}${NUMBER_PLACEHOLDER}`;
    const seen = new Map<string, Problem[]>();
    for (const problem of problems) {
      const owner = machines.find((m) => isWithin(problem.path, m.path));
      if (!owner) continue;
      // A message that names its machine ("c2" is made of hex digits) is the same problem for each: said with the pattern.
      const general = (text: string | undefined) => text?.replace(new RegExp(`(?<!\\w)${escapeRegExp(owner.name)}(?!\\w)`, "g"), pattern);
      const key = JSON.stringify([problem.path.slice(owner.path.length), general(problem.message), general(problem.fix)]);
      seen.set(key, [...(seen.get(key) ?? []), problem]);
    }
    for (const [key, same] of seen) {
      if (same.length !== machines.length) continue;
      const [suffix, message, fix] = JSON.parse(key) as [string, string, string | null];
      replace.set(same[0], { ...same[0], path: `${entryPath(entry)}${suffix}`, message, ...(fix === null ? {} : { fix }) });
      for (const p of same.slice(1)) drop.add(p);
    }
  }
  return problems.filter((p) => !drop.has(p)).map((p) => replace.get(p) ?? p);
}
