// The host steps of `up` and `test`, for a lab on one host or several: the preflight (the
// one-host preflight of host/preflight.ts, or every host of `hosts` at once), what it found
// printed, and for a lab on several hosts the networks that span them, made before vagrant
// runs and removed after the last destroy.
import { preflightHost } from "../host/preflight.js";
import { preflightHosts } from "../hosts/preflight.js";
import { applyFabric } from "../fabric/apply.js";
import { removeFabric } from "../fabric/teardown.js";
import { vagrantVersion } from "../vagrant/execute.js";
import { printWarnings, type Io } from "./context.js";
import { ensureLabFits } from "./fit.js";
import type { Loaded } from "./commands/lab.js";

/** Checks the host(s) before anything starts; returns the machines to run under TCG. `starting`: the machines about to start. */
export async function preflightForUp(io: Io, loaded: Loaded, starting: string[], allowOvercommit?: boolean): Promise<string[]> {
  const { lab, dirs } = loaded;
  if (!lab.hosts.length) {
    await ensureLabFits(io, lab, dirs.dir, loaded.machines, allowOvercommit);
    const host = await preflightHost(lab, { cwd: dirs.dir });
    io.err(`host: vagrant ${host.vagrant}, ${host.provider}, KVM ${host.kvmRunsGuests ? "runs guests" : `cannot run guests (${host.kvmEvidence})`}`);
    printWarnings(io, host.warnings);
    return host.tcg;
  }
  // Placement already fit the machines into what each host offers; the hosts say what they have free.
  const vagrant = await vagrantVersion({ cwd: dirs.dir });
  const checked = await preflightHosts(lab, starting);
  io.err(`vagrant ${vagrant}`);
  for (const h of checked.hosts) {
    const memory = h.availableMiB === undefined ? "" : `, ${h.availableMiB} MiB available`;
    io.err(`host ${h.host} (${h.where}): ${h.libvirt}, KVM ${h.kvmRunsGuests ? "runs guests" : `cannot run guests (${h.kvmEvidence})`}${h.nested ? `, nested ${h.nested}` : ""}${memory}`);
  }
  printWarnings(io, checked.warnings);
  return checked.tcg;
}

/** A lab on several hosts: the networks that span them, made (idempotently) before vagrant up. */
export async function makeFabric(io: Io, loaded: Loaded): Promise<void> {
  if (loaded.lab.hosts.length < 2) return;
  const start = performance.now();
  const made = await applyFabric(loaded.lab, loaded.dirs.state);
  if (!made.spans.length) return;
  const tunnels = made.spans.map((s) => `${s.network.key} (${s.device}, VNI ${s.vni}, MTU ${s.mtu}: ${s.hosts.join(" + ")})`);
  io.err(`spanning hosts: ${tunnels.join("; ")} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
}

/** After every machine is destroyed: what spans hosts removed from each of them. */
export async function removeFabricAfterDestroy(io: Io, loaded: Loaded): Promise<void> {
  const cleaned = await removeFabric(loaded.dirs.state);
  if (cleaned.length) io.err(`removed the networks and tunnels spanning hosts from ${cleaned.join(", ")}`);
}
