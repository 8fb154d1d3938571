// Removes what kvm-lab made for the networks that span hosts (.kvm-lab/fabric.json): on each
// host, its VXLAN devices, then its libvirt networks (stopped and undefined; vagrant-libvirt
// left them, having been told always_destroy false). All hosts at once; a host that cannot be
// reached keeps its entry, so the next `kvm-lab destroy` tries again, and is named.
import { FabricError, type Problem } from "../errors.js";
import { hostShell, shellQuote } from "../hosts/shell.js";
import { virshOn } from "../hosts/virsh.js";
import { fixFor, networkInfo } from "./apply.js";
import { readFabric, writeFabric, type HostFabric } from "./record.js";

/** Removes every host's recorded part; returns the hosts cleaned. Throws FabricError naming the hosts that could not be. */
export async function removeFabric(state: string): Promise<string[]> {
  const record = await readFabric(state);
  const entries = Object.entries(record.hosts);
  if (!entries.length) return [];
  const failures: Problem[] = [];
  const cleaned: string[] = [];
  await Promise.all(
    entries.map(async ([name, part]) => {
      try {
        await removeHostPart(name, part);
        delete record.hosts[name];
        cleaned.push(name);
      } catch (error) {
        failures.push({ path: `hosts.${name}`, message: (error as Error).message, fix: fixFor(hostShell({ name, uri: part.uri })) });
      }
    }),
  );
  await writeFabric(state, record);
  if (failures.length) throw new FabricError(`what spans hosts could not be removed from ${failures.length} of ${entries.length} hosts`, failures, { hint: ".kvm-lab/fabric.json keeps it; kvm-lab destroy tries again" });
  return cleaned.sort();
}

async function removeHostPart(name: string, part: HostFabric): Promise<void> {
  const shell = hostShell({ name, uri: part.uri });
  if (part.devices.length) {
    const script = part.devices.map((d) => `ip link del dev ${shellQuote(d)} 2>/dev/null || true`).join("\n");
    const removed = await shell.run(["sh", "-s"], { input: `${script}\n`, root: true, timeoutMs: 60_000 });
    if (removed.exitCode !== 0) throw new Error(`the VXLAN devices could not be removed on ${shell.where}: ${removed.stderr.trim().split("\n")[0] || `exit ${removed.exitCode}`}`);
  }
  for (const network of part.networks) {
    const info = await networkInfo(part.uri, network);
    if (!info) continue;
    if (info.active) await virshOn(part.uri, ["net-destroy", network]);
    const undefined_ = await virshOn(part.uri, ["net-undefine", network]);
    if (undefined_.exitCode !== 0 && (await networkInfo(part.uri, network))) throw new Error(`virsh net-undefine ${network}: ${undefined_.stderr.trim().split("\n")[0]}`);
  }
}
