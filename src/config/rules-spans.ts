// Rules of networks that span hosts (fabric/spans.ts): what a spanning network takes on the
// hosts other than its home (an address of their own below the DHCP range) must be free, and
// its frames must fit the tunnel (the LAN's MTU less VXLAN's 50 bytes).
import type { Lab } from "./types.js";
import type { Problem } from "../errors.js";
import { spansOf } from "../fabric/spans.js";
import { formatIpv4, hostAt, parseIpv4 } from "../net/ipv4.js";

/** Every problem of the lab's spanning networks. */
export function spanProblems(lab: Lab): Problem[] {
  const problems: Problem[] = [];
  for (const span of spansOf(lab)) {
    const { network } = span;
    const extras = span.parts.filter((p) => p.host !== span.home && p.hostIp);
    const block = network.cidr;
    if (block && extras.some((p) => (parseIpv4(p.hostIp!) ?? 0) <= hostAt(block, 1))) {
      problems.push({
        path: `networks.${network.key}.cidr`,
        message: `${block.text} is too small to span ${span.hosts.length} hosts (each host but ${span.home} takes an address below the DHCP range)`,
        fix: "use a larger block, e.g. a /24",
      });
      continue;
    }
    const taken = new Map(extras.map((p) => [p.hostIp!, p.host]));
    for (const machine of lab.machines) {
      for (const nic of machine.nics.filter((n) => n.network === network)) {
        const host = nic.ip ? taken.get(nic.ip) : undefined;
        if (host) {
          const free = formatIpv4(hostAt(block!, 10));
          problems.push({ path: `${nic.path}.ip`, message: `${nic.ip} is host ${host}'s address on ${network.key}, which spans hosts ${span.hosts.join(", ")}`, fix: `pick another address, e.g. ${free}` });
        }
        if (nic.mtu !== undefined && nic.mtu > span.mtu) {
          problems.push({
            path: `${nic.path}.mtu`,
            message: `${nic.mtu} does not fit the tunnel of ${network.key} between hosts ${span.hosts.join(", ")}: its frames carry at most ${span.mtu} bytes (the LAN's MTU less VXLAN's 50)`,
            fix: `set mtu to ${span.mtu} or less, or raise the hosts' lanMtu if their LAN carries larger frames`,
          });
        }
      }
    }
  }
  return problems;
}
