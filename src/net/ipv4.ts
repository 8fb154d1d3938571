// IPv4 addresses and CIDR blocks as plain numbers, enough for the lab's address rules.

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  network: number;
  prefix: number;
  /** The text as written in the config, normalized (`192.168.56.0/24`). */
  text: string;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The address as a number, or undefined when `text` is not dotted-quad IPv4. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => OCTET.test(part))) return undefined;
  return parts.reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** A dotted netmask for a prefix length: 24 -> 255.255.255.0. */
export function netmaskOf(cidr: Cidr): string {
  return formatIpv4(maskOf(cidr.prefix));
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string };

/** Parses `a.b.c.d/n`; the address must be the network address itself. */
export function parseCidr(text: string): CidrParse {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return { ok: false, reason: `${text} is not in CIDR form (for example 192.168.56.0/24)` };
  const address = parseIpv4(match[1]);
  const prefix = Number(match[2]);
  if (address === undefined) return { ok: false, reason: `${match[1]} is not an IPv4 address` };
  if (prefix < 8 || prefix > 30) {
    return { ok: false, reason: `/${prefix} is not a usable lab network size (use a prefix from /8 to /30)` };
  }
  const network = (address & maskOf(prefix)) >>> 0;
  if (network !== address) {
    return {
      ok: false,
      reason: `${text} has host bits set (did you mean ${formatIpv4(network)}/${prefix}?)`,
    };
  }
  return { ok: true, cidr: { network, prefix, text: `${formatIpv4(network)}/${prefix}` } };
}

/** A CIDR known to be valid, for constants in code. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`bad built-in CIDR ${text}: ${parsed.reason}`);
  return parsed.cidr;
}

export function broadcastOf(block: Cidr): number {
  return (block.network + 2 ** (32 - block.prefix) - 1) >>> 0;
}

export function contains(block: Cidr, address: number): boolean {
  return ((address & maskOf(block.prefix)) >>> 0) === block.network;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return ((a.network & maskOf(prefix)) >>> 0) === ((b.network & maskOf(prefix)) >>> 0);
}

/** Whether every address of `inner` lies inside `outer`. */
export function within(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && contains(outer, inner.network);
}

/** The address `offset` past the network address (offset 1 is the first host). */
export function hostAt(block: Cidr, offset: number): number {
  return (block.network + offset) >>> 0;
}

/**
 * The DHCP layout kvm-lab gives a network, the same on both providers: the server on the
 * second address, leases from the middle of the block to its end, so the lower half stays
 * free for static addresses.
 */
export function dhcpLayoutOf(block: Cidr): { server: string; lower: string; upper: string } {
  const size = 2 ** (32 - block.prefix);
  return {
    server: formatIpv4(hostAt(block, 2)),
    lower: formatIpv4(hostAt(block, Math.max(3, size / 2))),
    upper: formatIpv4(broadcastOf(block) - 1),
  };
}
