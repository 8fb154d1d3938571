// MAC addresses in the forms users write and the forms each provider wants.

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
