// MAC addresses in the forms users write and the forms each provider wants.
import { createHash } from "node:crypto";

const MAC = /^([0-9A-Fa-f]{2})([:-]?)([0-9A-Fa-f]{2})\2([0-9A-Fa-f]{2})\2([0-9A-Fa-f]{2})\2([0-9A-Fa-f]{2})\2([0-9A-Fa-f]{2})$/;

/** A MAC in lower-case colon form, or undefined when it is not one. */
export function normalizeMac(text: string): string | undefined {
  const match = MAC.exec(text);
  if (!match) return undefined;
  return [1, 3, 4, 5, 6, 7].map((i) => match[i].toLowerCase()).join(":");
}

/** VirtualBox's form: twelve hex digits, no separators (`--macaddressN`, Vagrant's `mac:`). */
export function virtualboxMac(mac: string): string {
  return (normalizeMac(mac) ?? mac).replace(/:/g, "").toUpperCase();
}

/**
 * A stable MAC for a NIC the config gives none, in VirtualBox's 08:00:27 block: the same lab,
 * machine and slot always get the same one, so the guest can find the NIC by it.
 */
export function derivedMac(lab: string, machine: string, slot: number): string {
  const bytes = createHash("sha256").update(`${lab}/${machine}/${slot}`).digest().subarray(0, 3);
  return ["08", "00", "27", ...[...bytes].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}
