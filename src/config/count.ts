// Machine counts: a machine entry with `count: N` stands for N machines. Each instance is
// the entry with its number put in: `{n}` in the name and hostname (appended to the name
// when it has no `{n}`), and static IPs, MACs and forwarded host ports one higher per
// instance, so "3 compute nodes from 10.0.0.21" is one entry in a JSON config too.
import { formatIpv4, parseIpv4 } from "../net/ipv4.js";
import { normalizeMac } from "../net/mac.js";

type Raw = Record<string, unknown>;

/** The placeholder of a machine's number in `name` and `hostname`. */
export const NUMBER_PLACEHOLDER = "{n}";

export interface MachineInstance {
  raw: Raw;
  /** Index of the entry under `machines`. */
  index: number;
  /** The entry's name pattern without its number (`compute{n}` -> `compute`): set for counted entries. */
  group?: string;
}

const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every machine of the config, counted entries expanded in place, in config order. */
export function expandMachines(entries: unknown[]): MachineInstance[] {
  return entries.flatMap((entry, index) => {
    if (!isObject(entry) || entry.count === undefined) return [{ raw: isObject(entry) ? entry : {}, index }];
    const count = entry.count;
    // A count that is not a whole number of 1 or more is reported by the rules; the entry stays one machine.
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) return [{ raw: entry, index }];
    const name = typeof entry.name === "string" ? entry.name : "";
    const group = name.replace(NUMBER_PLACEHOLDER, "").replace(/[-_.]+$/, "") || name;
    return Array.from({ length: count }, (_, i) => ({ raw: instanceOf(entry, i + 1), index, group }));
  });
}

/** The entry as machine number `n` (1-based). */
function instanceOf(entry: Raw, n: number): Raw {
  const step = n - 1;
  const name = typeof entry.name === "string" ? numbered(entry.name, n, true) : entry.name;
  const hostname = typeof entry.hostname === "string" ? numbered(entry.hostname, n, false) : entry.hostname;
  const out: Raw = { ...entry, name, hostname };
  delete out.count;
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
