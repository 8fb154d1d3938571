// The libvirt network kvm-lab defines on each host for its part of a spanning network: the
// XML vagrant-libvirt 0.11.2 would define for the same NIC options
// (templates/private_network.xml.erb: ipv6 attribute, bridge with stp on and delay 0, mtu,
// forward unless none/veryisolated, ip with its dhcp range), so vagrant-libvirt finds it
// and uses it as its own; on the hosts other than the home, DNS off as well (libvirt runs
// a dnsmasq for every addressed network unless <dns enable="no"/>, docs/formatnetwork.rst
// "Addressing"), so those bridges answer nothing.
import { netmaskOf } from "../net/ipv4.js";
import type { Span, SpanPart } from "./spans.js";

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The network XML for `part` of `span`. */
export function spanNetworkXml(span: Span, part: SpanPart): string {
  const lines = [
    `<network ipv6="yes">`,
    `  <name>${escapeXml(span.network.providerName)}</name>`,
    `  <bridge name="${span.bridge}" stp="on" delay="0"/>`,
    `  <mtu size="${span.mtu}"/>`,
  ];
  if (part.forwardMode === "nat") lines.push(`  <forward mode="nat"/>`);
  if (part.hostIp) {
    if (part.host !== span.home) lines.push(`  <dns enable="no"/>`);
    lines.push(`  <ip address="${part.hostIp}" netmask="${netmaskOf(span.network.cidr!)}">`);
    if (part.dhcp) lines.push(`    <dhcp>`, `      <range start="${part.dhcp.start}" end="${part.dhcp.end}"/>`, `    </dhcp>`);
    lines.push(`  </ip>`);
  }
  lines.push(`</network>`);
  return `${lines.join("\n")}\n`;
}
