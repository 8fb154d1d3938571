// Makes the networks that span hosts before `vagrant up`: on every host, the libvirt network
// of its part (network-xml.ts, defined and started over the host's own URI with virsh), then
// one VXLAN device per network on that network's bridge, with a flooding entry per other
// host (head-end replication: `bridge fdb append 00:00:00:00:00:00 dev <vxlan> dst <peer>`,
// iproute2's bridge(8); the device learns the machines' MACs from what it receives, Linux
// drivers/net/vxlan). Idempotent: what exists and is right is left as it is, so `up` runs it
// every time. All hosts at once; every host's failure collected.
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import type { Lab } from "../config/types.js";
import { FabricError, type Problem } from "../errors.js";
import { labShells, shellQuote, type HostShell } from "../hosts/shell.js";
import { virshOn } from "../hosts/virsh.js";
import { tunnelAddresses } from "./addresses.js";
import { spanNetworkXml } from "./network-xml.js";
import { mergeFabric, readFabric, writeFabric, type HostFabric } from "./record.js";
import { spansOf, VXLAN_PORT, type Span } from "./spans.js";

export interface AppliedFabric {
  spans: Span[];
  /** Each host's tunnel address. */
  addresses: Map<string, string>;
}

/** A libvirt network's state on a host: undefined when it does not exist; throws when the host's libvirt does not answer. */
export async function networkInfo(uri: string, name: string): Promise<{ active: boolean; bridge?: string } | undefined> {
  const info = await virshOn(uri, ["net-info", name]);
  // libvirt's VIR_ERR_NO_NETWORK (src/util/virerror.c: "Network not found: %s").
  if (info.exitCode !== 0 && /Network not found/.test(info.stderr)) return undefined;
  if (info.exitCode !== 0) throw new Error(`virsh -c ${uri} net-info ${name}: ${firstLine(info.stderr) || (info.timedOut ? "no answer" : `exit ${info.exitCode}`)}`);
  return { active: /^Active:\s+yes/m.test(info.stdout), bridge: /^Bridge:\s+(\S+)/m.exec(info.stdout)?.[1] };
}

/** Defines and starts `span`'s network on `host` unless it is there; returns its bridge. */
async function ensureNetwork(uri: string, span: Span, host: string): Promise<string> {
  const name = span.network.providerName;
  let info = await networkInfo(uri, name);
  if (!info) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kvm-lab-net-"));
    try {
      const file = path.join(dir, `${name}.xml`);
      await fs.writeFile(file, spanNetworkXml(span, span.parts.find((p) => p.host === host)!));
      const defined = await virshOn(uri, ["net-define", file]);
      if (defined.exitCode !== 0) throw new Error(`virsh net-define ${name}: ${firstLine(defined.stderr)}`);
    } finally {
      await fs.remove(dir);
    }
    info = { active: false };
  }
  if (!info.active) {
    const started = await virshOn(uri, ["net-start", name]);
    if (started.exitCode !== 0) throw new Error(`virsh net-start ${name}: ${firstLine(started.stderr)}`);
    info = await networkInfo(uri, name);
  }
  if (!info?.bridge) throw new Error(`libvirt network ${name} has no bridge`);
  return info.bridge;
}

const firstLine = (text: string) => text.trim().split("\n")[0] ?? "";

/**
 * The shell script that puts the VXLAN devices on a host: each device (re-)made unless it is
 * there with the right VNI and local address, set on its bridge with the segment's MTU, up,
 * and given a flooding entry per peer it lacks.
 */
export function tunnelScript(tunnels: { device: string; vni: number; local: string; bridge: string; mtu: number; peers: string[] }[]): string {
  const lines = [
    "set -e",
    "tunnel() {",
    '  dev=$1 vni=$2 local=$3 br=$4 mtu=$5; shift 5',
    '  if ip -d -o link show dev "$dev" 2>/dev/null | grep -q "vxlan id $vni local $local "; then :; else',
    '    ip link del dev "$dev" 2>/dev/null || true',
    `    ip link add "$dev" type vxlan id "$vni" local "$local" dstport ${VXLAN_PORT}`,
    "  fi",
    '  ip link set dev "$dev" mtu "$mtu" master "$br" up',
    // libvirt's bridges run STP (stp="on"), so a port (re)joining one listens and learns for
    // twice the forward delay (the kernel's minimum is 2 s, net/bridge/br_private.h
    // BR_MIN_FORWARD_DELAY) before it forwards: wait for that, at most 15 s.
    '  i=0; while [ $i -lt 30 ] && ! bridge link show dev "$dev" | grep -q "state forwarding"; do sleep 0.5; i=$((i + 1)); done',
    '  for peer in "$@"; do',
    '    bridge fdb show dev "$dev" | grep -q "^00:00:00:00:00:00 dst $peer " || bridge fdb append 00:00:00:00:00:00 dev "$dev" dst "$peer"',
    "  done",
    "}",
    ...tunnels.map((t) => ["tunnel", t.device, String(t.vni), t.local, t.bridge, String(t.mtu), ...t.peers].map(shellQuote).join(" ")),
  ];
  return `${lines.join("\n")}\n`;
}

/** Makes every spanning network on every host it spans (recorded first in .kvm-lab/fabric.json); nothing to do without such networks. */
export async function applyFabric(lab: Lab, state: string, shells: Map<string, HostShell> = labShells(lab)): Promise<AppliedFabric> {
  const spans = spansOf(lab);
  if (!spans.length) return { spans, addresses: new Map() };
  const involved = lab.hosts.filter((h) => spans.some((s) => s.hosts.includes(h.name)));
  const { addresses, problems } = await tunnelAddresses(involved, shells);
  if (problems.length) throw new FabricError("the tunnels between the hosts need each host's address", problems);
  // What is about to be made, recorded before it is.
  const planned: Record<string, HostFabric> = {};
  for (const host of involved) {
    const mine = spans.filter((s) => s.hosts.includes(host.name));
    planned[host.name] = { uri: host.uri, networks: mine.map((s) => s.network.providerName), devices: mine.map((s) => s.device) };
  }
  await writeFabric(state, mergeFabric(await readFabric(state), planned));
  const failures: Problem[] = [];
  await Promise.all(
    involved.map(async (host) => {
      const shell = shells.get(host.name)!;
      try {
        const tunnels = [];
        for (const span of spans.filter((s) => s.hosts.includes(host.name))) {
          const bridge = await ensureNetwork(host.uri, span, host.name);
          const peers = span.hosts.filter((h) => h !== host.name).map((h) => addresses.get(h)!);
          tunnels.push({ device: span.device, vni: span.vni, local: addresses.get(host.name)!, bridge, mtu: span.mtu, peers });
        }
        const made = await shell.run(["sh", "-s"], { input: tunnelScript(tunnels), root: true, timeoutMs: 60_000 });
        if (made.exitCode !== 0) throw new Error(`the VXLAN devices could not be made on ${shell.where}: ${firstLine(made.stderr) || `exit ${made.exitCode}`}`);
      } catch (error) {
        failures.push({ path: host.path, message: (error as Error).message, fix: fixFor(shell) });
      }
    }),
  );
  if (failures.length) throw new FabricError(`the networks that span hosts could not be made on ${failures.length} of ${involved.length} hosts`, failures, { hint: "kvm-lab destroy removes what was made" });
  return { spans, addresses };
}

/** What to do when a host refuses: root for the tunnels (ip link), a reachable libvirtd. */
export function fixFor(shell: HostShell): string {
  return !shell.uri.local
    ? `check \`ssh ${shell.where} true\` and \`virsh -c ${shell.uri.text} version\`; tunnels need root there (the URI's user root, or sudo without a password)`
    : "tunnels need root on this machine (run kvm-lab as root, or allow sudo without a password)";
}
