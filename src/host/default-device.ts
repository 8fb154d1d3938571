// The host's network device for its default route: the likeliest device to bridge a lab
// to. Read from /proc/net/route (Linux); undefined elsewhere or when there is none.
import fs from "node:fs";

/** The interface of the first IPv4 default route, e.g. "eth0" or "enp3s0". */
export function defaultRouteDevice(routeTable = "/proc/net/route"): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(routeTable, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n").slice(1)) {
    const [iface, destination, , flags] = line.trim().split(/\s+/);
    // Destination 0.0.0.0 with the route up (flag 0x1).
    if (iface && destination === "00000000" && (parseInt(flags, 16) & 1) === 1) return iface;
  }
  return undefined;
}
