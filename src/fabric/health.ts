// Why a network that spans hosts may not carry frames between them: on each host, its VXLAN
// device (there, up, on the network's bridge, with a flooding entry per other host) and the
// path under it (one ping to each other host's tunnel address). Read when check --network
// sees pairs across hosts fail, so the failure names the tunnel and what is wrong with it.
import type { Lab } from "../config/types.js";
import { labShells, shellQuote, type HostShell } from "../hosts/shell.js";
import { tunnelAddresses } from "./addresses.js";
import { spansOf, type Span } from "./spans.js";

export interface TunnelHealth {
  span: Span;
  /** What is wrong, each naming the host; empty when the tunnel looks whole. */
  problems: string[];
}

/** The shell script that reports a host's devices, their flooding entries and the peers' reachability, a line each. */
export function healthScript(devices: { device: string; peers: string[] }[], peers: string[]): string {
  const lines = [
    "dev_state() {",
    '  dev=$1; shift',
    '  line=$(ip -o link show dev "$dev" 2>/dev/null) || { echo "dev $dev missing"; return; }',
    '  if echo "$line" | grep -Eq "[<,]UP[,>]"; then up=up; else up=down; fi',
    '  master=$(echo "$line" | sed -n "s/.* master \\([^ ]*\\) .*/\\1/p")',
    '  echo "dev $dev $up ${master:-none}"',
    '  for peer in "$@"; do',
    '    if bridge fdb show dev "$dev" | grep -q "^00:00:00:00:00:00 dst $peer "; then echo "fdb $dev $peer yes"; else echo "fdb $dev $peer no"; fi',
    "  done",
    "}",
    ...devices.map((d) => ["dev_state", d.device, ...d.peers].map(shellQuote).join(" ")),
    ...peers.map((p) => `if ping -c 1 -W 2 ${shellQuote(p)} >/dev/null 2>&1; then echo "ping ${p} ok"; else echo "ping ${p} fail"; fi`),
  ];
  return `${lines.join("\n")}\n`;
}

/** Each spanning network's tunnel, looked at from every host it spans. */
export async function tunnelHealth(lab: Lab, shells: Map<string, HostShell> = labShells(lab)): Promise<TunnelHealth[]> {
  const spans = spansOf(lab);
  if (!spans.length) return [];
  const involved = lab.hosts.filter((h) => spans.some((s) => s.hosts.includes(h.name)));
  const { addresses } = await tunnelAddresses(involved, shells);
  const nameAt = new Map([...addresses].map(([name, address]) => [address, name]));
  const reports = new Map<string, { lines: string[]; error?: string }>();
  await Promise.all(
    involved.map(async (host) => {
      const shell = shells.get(host.name)!;
      const mine = spans.filter((s) => s.hosts.includes(host.name));
      const peersOf = (s: Span) => s.hosts.filter((h) => h !== host.name).flatMap((h) => (addresses.has(h) ? [addresses.get(h)!] : []));
      const peers = [...new Set(mine.flatMap(peersOf))];
      const result = await shell.run(["sh", "-s"], { input: healthScript(mine.map((s) => ({ device: s.device, peers: peersOf(s) })), peers), root: true, timeoutMs: 30_000 });
      reports.set(host.name, result.exitCode === 0 ? { lines: result.stdout.split("\n") } : { lines: [], error: `${shell.where} did not answer (${result.stderr.trim().split("\n").pop() || `exit ${result.exitCode}`})` });
    }),
  );
  return spans.map((span) => {
    const problems: string[] = [];
    for (const host of span.hosts) {
      const report = reports.get(host)!;
      if (report.error) {
        problems.push(`host ${host}: ${report.error}`);
        continue;
      }
      const has = (prefix: string) => report.lines.find((l) => l.startsWith(prefix));
      const dev = has(`dev ${span.device} `);
      if (!dev || dev.endsWith(" missing")) problems.push(`host ${host}: ${span.device} is missing`);
      else {
        const [, , state, master] = dev.split(" ");
        if (state !== "up") problems.push(`host ${host}: ${span.device} is down`);
        if (master === "none") problems.push(`host ${host}: ${span.device} is on no bridge`);
      }
      for (const line of report.lines.filter((l) => l.startsWith(`fdb ${span.device} `) && l.endsWith(" no"))) {
        const peer = line.split(" ")[2];
        problems.push(`host ${host}: ${span.device} does not send to ${nameAt.get(peer) ?? peer} (${peer}): no flooding entry`);
      }
      for (const other of span.hosts.filter((h) => h !== host)) {
        const address = addresses.get(other);
        if (address && has(`ping ${address} fail`)) problems.push(`host ${host} cannot reach ${other} at ${address} (the path under the tunnel)`);
      }
    }
    return { span, problems };
  });
}
