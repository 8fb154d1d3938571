// `kvm-lab up`, idempotent: the lab is compared with its config first (src/drift/); when
// every machine runs and matches and the Vagrantfile is current it says so and stops, with
// no vagrant call at all; otherwise it checks the host (every host of a lab on several),
// writes the Vagrantfile as before, names per machine what changed, and runs only what that
// needs: the networks that span hosts, then `vagrant up` for machines not created or not
// running (upLab's waves, progress and logs), destroy + up for those that need re-creating,
// reload, provision with the changed steps named. A machine that would move to another host
// is refused. Then it records what runs (.kvm-lab/applied.json). `--always` skips the
// comparison (vagrant up for every machine, as before). Machines no longer in the config are
// named, never destroyed.
import path from "node:path";
import { ConfigError, EXIT } from "../../errors.js";
import { readRecord } from "../../drift/record.js";
import { destroyLab, upLab, VagrantUpError } from "../../vagrant/lab.js";
import { runMachineStep } from "../../vagrant/machine-steps.js";
import { labDrift, recordApplied, type LabDrift } from "../../drift/lab.js";
import type { MachineDiff } from "../../drift/compare.js";
import { machineLines, strayLines } from "../../report/drift.js";
import type { Io } from "../context.js";
import { makeFabric, preflightForUp } from "../hosts.js";
import { progressPrinter } from "../terminal.js";
import { open, renderForUp, type Loaded, type MachineArgs } from "./lab.js";

export interface UpArgs extends MachineArgs {
  /** Skip the comparison: `vagrant up` every machine, as kvm-lab did before it kept records. */
  always?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function driftOf(loaded: Loaded, tcg?: readonly string[]): Promise<LabDrift> {
  return labDrift(loaded.lab, { dir: loaded.dirs.dir, state: loaded.dirs.state, source: path.basename(loaded.file), machines: loaded.machines, ...(tcg ? { tcg } : {}) });
}

/** Nothing for up to do: every machine runs as recorded (or unrecorded but matching) and the Vagrantfile is current. */
const settled = (drift: LabDrift) => drift.diff.vagrantfile.state === "current" && drift.diff.machines.every((m) => m.action === "none");

function reportStrays(io: Io, drift: LabDrift): void {
  for (const line of strayLines(drift.diff)) io.err(line);
}

/** `kvm-lab up [machine..]`: nothing when the lab matches its config, else only what changed; exit 0 when done. */
export async function upCommand(io: Io, args: UpArgs): Promise<number> {
  const loaded = await open(io, args, "autostart");
  // 1. The quick answer: compared with the Vagrantfile the last up wrote (its TCG choice), no vagrant, no host checks.
  const quick = args.always ? undefined : await driftOf(loaded);
  if (quick) {
    if (settled(quick)) {
      const unrecorded = quick.diff.machines.filter((m) => !m.recorded).map((m) => m.name);
      if (unrecorded.length) await recordApplied(loaded.lab, { dir: loaded.dirs.dir, state: loaded.dirs.state, machines: unrecorded, tcg: quick.tcg, text: quick.text });
      reportStrays(io, quick);
      // The machines match; what spans their hosts is made again where it went missing (idempotent: a host rebooted, a device removed).
      await makeFabric(io, loaded);
      const note = unrecorded.length ? ` (recorded ${unrecorded.join(", ")}, running but not recorded before)` : "";
      io.out(`nothing to do: ${plural(loaded.machines.length, "machine")} up and matching the config${note}`);
      return EXIT.ok;
    }
  }
  // A machine that would move to another host is refused before the Vagrantfile names the new one.
  await refuseMoves(loaded);
  // 2. As before: the resource fit, the host (every host of a lab on several), the Vagrantfile.
  const starting = quick ? quick.diff.machines.filter((m) => m.action === "up" || m.action === "recreate").map((m) => m.name) : loaded.machines;
  const tcg = await preflightForUp(io, loaded, starting, args.allowOvercommit);
  await renderForUp(io, loaded, tcg, args.force);
  // 3. What each machine needs, against the Vagrantfile just written.
  const drift = await driftOf(loaded, tcg);
  reportStrays(io, drift);
  const plan: MachineDiff[] = args.always ? drift.diff.machines.map((m) => ({ ...m, action: "up", provisionWith: [] })) : drift.diff.machines;
  const acting = plan.filter((m) => m.action !== "none");
  if (!args.always && acting.length) {
    io.err(`to do (kvm-lab diff shows the same): ${acting.map((m) => `${m.name} ${m.action}`).join(", ")}`);
    for (const line of machineLines({ ...drift.diff, machines: acting })) io.err(line);
  }
  const done = new Set(plan.filter((m) => m.action === "none").map((m) => m.name));
  const record = () => recordApplied(loaded.lab, { dir: loaded.dirs.dir, state: loaded.dirs.state, machines: [...done], tcg, text: drift.text });
  try {
    // A lab on several hosts: the networks spanning them exist before any machine boots.
    if (acting.length) await makeFabric(io, loaded);
    await apply(io, loaded, plan, done);
  } catch (error) {
    // Machines whose up went through (upLab names the failed ones) count as done, unless steps were still to run on them.
    if (error instanceof VagrantUpError) {
      for (const m of plan) if ((m.action === "recreate" || (m.action === "up" && !m.provisionWith.length)) && !error.machines.includes(m.name)) done.add(m.name);
    }
    await record().catch(() => undefined);
    throw error;
  }
  await record();
  if (!acting.length) io.out(`nothing to do: ${plural(loaded.machines.length, "machine")} up and matching the config`);
  // The machines acted on, in config order (what each needed is on stderr above).
  else io.out(`up: ${acting.map((m) => m.name).join(", ")}`);
  return EXIT.ok;
}

/** Runs the plan: destroy what is re-created, up (waves), reload, provision; each machine marked done when all its steps ran. */
async function apply(io: Io, loaded: Loaded, plan: MachineDiff[], done: Set<string>): Promise<void> {
  const { lab, dirs } = loaded;
  const names = (action: MachineDiff["action"]) => plan.filter((m) => m.action === action).map((m) => m.name);
  const timeoutMs = lab.upTimeoutMinutes * 60_000;
  const progress = progressPrinter(io, loaded.machines);
  const recreate = names("recreate");
  if (recreate.length) {
    io.err(`destroying to re-create: ${recreate.join(", ")}`);
    await destroyLab(dirs, recreate, { timeoutMs });
  }
  const up = [...names("up"), ...recreate];
  if (up.length) {
    // In config order, so upLab's waves (upAfter) see the machines as the config lists them.
    await upLab(lab, dirs, { machines: loaded.machines.filter((m) => up.includes(m)), timeoutMs, progress });
  }
  for (const m of plan.filter((p) => p.action === "recreate" || (p.action === "up" && !p.provisionWith.length))) done.add(m.name);
  // Reloads and provisioning: one machine after another on VirtualBox (as upLab), at once on libvirt.
  const steps = plan.flatMap((m): { m: MachineDiff; verb: "reload" | "provision" }[] =>
    m.action === "reload" ? [{ m, verb: "reload" }] : m.action === "provision" || (m.action === "up" && m.provisionWith.length) ? [{ m, verb: "provision" }] : [],
  );
  const run = async ({ m, verb }: (typeof steps)[number]) => {
    await runMachineStep(dirs, verb, m.name, m.provisionWith, { timeoutMs, progress });
    done.add(m.name);
  };
  if (lab.provider === "libvirt") {
    const results = await Promise.allSettled(steps.map(run));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  } else {
    for (const step of steps) await run(step);
  }
}

/**
 * A lab with hosts: a recorded machine whose host changed (the config pins it elsewhere, or
 * placement puts it elsewhere now that machines were added) would be created anew on the
 * new host while its domain stays on the old one, out of Vagrant's sight. Refused, naming
 * each move and the two ways to go on.
 */
async function refuseMoves(loaded: Loaded): Promise<void> {
  const record = await readRecord(loaded.dirs.state, loaded.lab.name);
  const moves = loaded.lab.machines.flatMap((m) => {
    const was = record.machines[m.name]?.facets.host?.text;
    const now = m.host ? `host ${m.host.name} (${m.host.uri})` : undefined;
    return was && now && was !== now ? [{ path: m.path, message: `would move from ${was} to ${now}${m.host!.placed ? " (placed there now that the lab changed)" : ""}`, fix: `pin it where it runs (${was.replace(/ \(.*$/, "").replace(/^host /, 'host: "')}"), or destroy it first with the config as it was` }] : [];
  });
  if (moves.length) throw new ConfigError(moves, { hint: "kvm-lab does not move machines between hosts: a domain stays on the libvirt it was created on" });
}
