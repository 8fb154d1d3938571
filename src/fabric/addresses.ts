// The address each host's VXLAN devices send from and the others send to: the config's
// `address`; else, for a host reached over ssh, its URI's host (resolved here when it is a
// name); for this machine, the source address the kernel picks toward the other hosts
// (`ip -4 -o route get`), which is the one they can reach it at on a plain LAN.
import { lookup } from "node:dns/promises";
import net from "node:net";
import type { LabHost } from "../config/types.js";
import type { Problem } from "../errors.js";
import type { HostShell } from "../hosts/shell.js";

/** Each host's tunnel address, or the problems finding them (each naming the host and the fix). */
export async function tunnelAddresses(hosts: LabHost[], shells: Map<string, HostShell>): Promise<{ addresses: Map<string, string>; problems: Problem[] }> {
  const addresses = new Map<string, string>();
  const problems: Problem[] = [];
  const fix = (host: LabHost) => `set ${host.path}.address to the address the other hosts reach it at`;
  for (const host of hosts) {
    const shell = shells.get(host.name)!;
    if (host.address) addresses.set(host.name, host.address);
    else if (!shell.uri.local) {
      const name = shell.uri.host!;
      const address = net.isIPv4(name) ? name : await lookup(name, { family: 4 }).then((r) => r.address, () => undefined);
      if (!address) problems.push({ path: `${host.path}.uri`, message: `${name} does not resolve to an IPv4 address here`, fix: fix(host) });
      else if (address.startsWith("127.")) problems.push({ path: `${host.path}.uri`, message: `${name} resolves to the loopback ${address}, which the other hosts cannot send to`, fix: fix(host) });
      else addresses.set(host.name, address);
    }
  }
  // This machine: the source address of its route toward the first other host.
  for (const host of hosts.filter((h) => !addresses.has(h.name) && shells.get(h.name)!.uri.local)) {
    const peer = [...addresses.values()][0];
    if (!peer) {
      problems.push({ path: host.path, message: "no other host has an address to find this machine's route toward", fix: fix(host) });
      continue;
    }
    const route = await shells.get(host.name)!.run(["ip", "-4", "-o", "route", "get", peer], { timeoutMs: 10_000 });
    const source = /\bsrc (\d+\.\d+\.\d+\.\d+)/.exec(route.stdout)?.[1];
    if (route.exitCode !== 0 || !source) {
      problems.push({ path: host.path, message: `no route from this machine to ${peer}: ${(route.stderr || route.stdout).trim().split("\n")[0]}`, fix: fix(host) });
    } else addresses.set(host.name, source);
  }
  return { addresses, problems };
}
