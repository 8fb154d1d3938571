// Machine counts: a machine entry with `count: N` stands for N machines. Each instance is
// the entry with its number put in: `{n}` in the name and hostname (appended to the name
// when it has no `{n}`), and static IPs, MACs and forwarded host ports one higher per
// instance, so "3 compute nodes from 10.0.0.21" is one entry in a JSON config too.
import { formatIpv4, parseIpv4 } from "../net/ipv4.js";
import { normalizeMac } from "../net/mac.js";
import type { MachineEntry } from "./types.js";

type Raw = Record<string, unknown>;

/** The placeholder of a machine's number in `name` and `hostname`. */
export const NUMBER_PLACEHOLDER = "{n}";

export interface MachineInstance {
  raw: Raw;
  /** Index of the entry under `machines`. */
  index: number;
  /** The entry's name pattern without its number (`compute{n}` -> `compute`): set for counted entries. */
  group?: string;
  /** The entry as written and this machine's number in it. */
  entry: MachineEntry;
}

const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The most machines one entry may stand for: a guard against a typo (`count: 1e6`) that
 * would otherwise expand into a million machines before any message could say so. No
 * single host runs that many VMs of a lab.
 */
export const MAX_COUNT = 1000;

/** Whether a count is one the entry can be expanded by: a whole number from 1 to MAX_COUNT. */
export function isUsableCount(count: unknown): count is number {
  return typeof count === "number" && Number.isInteger(count) && count >= 1 && count <= MAX_COUNT;
}

/**
 * Every machine of the config, counted entries expanded in place, in config order. An
 * entry whose count is unusable (reported by the rules, or by the shape check when it is
 * not a number), or that has `{n}` but no count (a warning), stays one machine, number 1:
 * so no other message follows from it.
 */
export function expandMachines(entries: unknown[]): MachineInstance[] {
  return entries.flatMap((item, index) => {
    const entry = isObject(item) ? item : {};
    const written: MachineEntry = {
      index,
      name: typeof entry.name === "string" ? entry.name : "",
      hostname: typeof entry.hostname === "string" ? entry.hostname : undefined,
      count: typeof entry.count === "number" && Number.isInteger(entry.count) ? entry.count : undefined,
      n: 1,
      countFrom: typeof entry.countFrom === "number" && Number.isInteger(entry.countFrom) ? entry.countFrom : undefined,
      first: firstNumberOf(entry),
    };
    if (!isUsableCount(entry.count)) {
      const placeholder = [entry.name, entry.hostname].some((v) => typeof v === "string" && v.includes(NUMBER_PLACEHOLDER));
      const raw = placeholder || entry.count !== undefined ? instanceOf(entry, 1, false) : entry;
      return [{ raw, index, entry: written }];
    }
    const name = written.name;
    const group = name.replace(NUMBER_PLACEHOLDER, "").replace(/[-_.]+$/, "") || name;
    return Array.from({ length: entry.count }, (_, i) => ({ raw: instanceOf(entry, written.first + i, true, i), index, group, entry: { ...written, n: i + 1 } }));
  });
}

/** The number of an entry's first machine: `countFrom` when it is a whole number of 0 or more (the shape check reports others), else 1. */
function firstNumberOf(entry: Raw): number {
  const from = entry.countFrom;
  return typeof from === "number" && Number.isInteger(from) && from >= 0 ? from : 1;
}

/**
 * The entry as its machine numbered `n` (at `{n}`), `step` places after the entry's first
 * (its addresses, MACs and host ports `step` higher); `append`: the number goes after a
 * name without `{n}`.
 */
function instanceOf(entry: Raw, n: number, append: boolean, step = 0): Raw {
  const name = typeof entry.name === "string" ? numbered(entry.name, n, append) : entry.name;
  const hostname = typeof entry.hostname === "string" ? numbered(entry.hostname, n, false) : entry.hostname;
  const out: Raw = { ...entry, name, hostname };
  delete out.count;
  delete out.countFrom;
  // A VirtualBox VM name is one machine's: numbered like the machine's name.
  if (isObject(entry.virtualbox) && typeof entry.virtualbox.name === "string") {
    out.virtualbox = { ...entry.virtualbox, name: numbered(entry.virtualbox.name, n, true) };
  }
  if (Array.isArray(entry.nics)) {
    out.nics = entry.nics.map((nic) => {
      if (!isObject(nic)) return nic;
      const copy: Raw = { ...nic };
      if (typeof nic.ip === "string") copy.ip = addToIp(nic.ip, step);
      if (typeof nic.mac === "string") copy.mac = addToMac(nic.mac, step);
      if (Array.isArray(nic.forwards)) copy.forwards = nic.forwards.map((f) => addToHostPort(f, step));
      return copy;
    });
  }
  if (Array.isArray(entry.forwards)) out.forwards = entry.forwards.map((f) => addToHostPort(f, step));
  return out;
}

function numbered(text: string, n: number, appendWhenMissing: boolean): string {
  if (text.includes(NUMBER_PLACEHOLDER)) return text.split(NUMBER_PLACEHOLDER).join(String(n));
  return appendWhenMissing ? `${text}${n}` : text;
}

/** An address `step` higher; text that is not an address is left for the rules to report. */
function addToIp(text: string, step: number): string {
  const value = parseIpv4(text);
  return value === undefined ? text : formatIpv4((value + step) >>> 0);
}

function addToMac(text: string, step: number): string {
  const mac = normalizeMac(text);
  if (!mac) return text;
  const value = BigInt(`0x${mac.replace(/:/g, "")}`) + BigInt(step);
  const hex = (value & 0xffffffffffffn).toString(16).padStart(12, "0");
  return hex.match(/../g)!.join(":");
}

function addToHostPort(forward: unknown, step: number): unknown {
  if (!isObject(forward) || typeof forward.host !== "number") return forward;
  return { ...forward, host: forward.host + step };
}
