// Lab-level snapshots: one name for every machine of a lab. Each step runs on every machine
// (at once where the backend allows), collects every machine's failure instead of stopping at
// the first, and keeps the record (.kvm-lab/snapshots.json) in step with what was done.
import type { Lab } from "../config/types.js";
import { LabNotUpError, SnapshotFailedError, UsageError, type Problem } from "../errors.js";
import { MachineStepError, type MachineSnapshot, type MachineStateInfo, type ProviderMachine, type SnapshotBackend } from "./backend.js";
import { labConfigDigest } from "./digest.js";
import { libvirtBackend } from "./libvirt.js";
import { machineIdOf } from "../vagrant/machine-ids.js";
import { findEntry, forgetSnapshot, readRecord, recordSnapshot, type SnapshotEntry } from "./record.js";
import { virtualboxBackend } from "./virtualbox.js";

export interface LabSnapshots {
  lab: Lab;
  /** The lab folder (the Vagrantfile's; .vagrant/ is in it). */
  dir: string;
  /** Its .kvm-lab/ folder, where the record is. */
  stateDir: string;
  backend: SnapshotBackend;
}

/** The snapshot backend of the lab's provider. */
export function backendFor(lab: Lab): SnapshotBackend {
  return lab.provider === "libvirt" ? libvirtBackend(lab) : virtualboxBackend(lab);
}

/** A lab machine with its provider id and state (not_created when Vagrant has no id for it or the provider no machine). */
interface Found {
  name: string;
  machine?: ProviderMachine;
  state: MachineStateInfo;
}

const NOT_CREATED: MachineStateInfo = { state: "not_created", said: "not created" };

/** Runs `work` on each item, all at once when `parallel`; every failure is kept, none stops the others. */
async function eachOf<T>(items: T[], parallel: boolean, work: (item: T) => Promise<void>): Promise<{ done: T[]; failed: [T, unknown][] }> {
  const done: T[] = [];
  const failed: [T, unknown][] = [];
  const one = async (item: T) => {
    try {
      await work(item);
      done.push(item);
    } catch (error) {
      failed.push([item, error]);
    }
  };
  if (parallel) await Promise.all(items.map(one));
  else for (const item of items) await one(item);
  return { done, failed };
}

/** A machine's failure as a problem: a step's own words and fix; anything else is rethrown (a missing tool, a bug). */
function problemOf(machine: string, error: unknown): Problem {
  if (error instanceof MachineStepError) return { path: machine, message: error.message, ...(error.fix ? { fix: error.fix } : {}) };
  throw error;
}

/** Failures of a step, as problems in the lab's machine order; a missing tool (not a machine's fault) is thrown as it is. */
function problemsOf(lab: Lab, failed: [string, unknown][]): Problem[] {
  const order = (name: string) => lab.machines.findIndex((m) => m.name === name);
  return [...failed].sort((a, b) => order(a[0]) - order(b[0])).map(([machine, error]) => problemOf(machine, error));
}

const inLabOrder = (lab: Lab, names: string[]) => lab.machines.map((m) => m.name).filter((n) => names.includes(n));

/** The named machines with their provider ids and states (asked at once); machines whose state cannot be read are all named. */
async function findMachines(ctx: LabSnapshots, names: string[]): Promise<Found[]> {
  const failed: [string, unknown][] = [];
  const found = await Promise.all(
    names.map(async (name): Promise<Found> => {
      const id = await machineIdOf(ctx.dir, name, ctx.lab.provider);
      if (!id) return { name, state: NOT_CREATED };
      const machine = { name, id };
      const state = await ctx.backend.state(machine).catch((error: unknown) => {
        failed.push([name, error]);
        return NOT_CREATED;
      });
      return { name, machine, state };
    }),
  );
  if (failed.length) {
    const problems = problemsOf(ctx.lab, failed);
    throw new SnapshotFailedError(`cannot read the state of ${failed.length} of ${names.length} machines of lab ${ctx.lab.name}`, problems, [], {
      hint: ctx.lab.provider === "libvirt" ? "is libvirtd running? (virsh list --all)" : "is VirtualBox working? (VBoxManage list vms)",
    });
  }
  return found;
}

/** Each created machine's snapshots (a machine whose list fails has its error instead). */
async function listAll(ctx: LabSnapshots, found: Found[]): Promise<Map<string, MachineSnapshot[] | Error>> {
  const lists = new Map<string, MachineSnapshot[] | Error>();
  await Promise.all(
    found.map(async (f) => {
      if (!f.machine || f.state.state === "not_created") return;
      lists.set(f.name, await ctx.backend.list(f.machine).catch((error: unknown) => (error instanceof MachineStepError ? error : Promise.reject(error))));
    }),
  );
  return lists;
}

const has = (list: MachineSnapshot[] | Error | undefined, name: string) => Array.isArray(list) && list.some((s) => s.name === name);

export interface SaveResult {
  entry: SnapshotEntry;
  /** An earlier snapshot of that name was replaced (--force). */
  replaced: boolean;
}

/**
 * Saves snapshot `name` of the lab: of every machine `up` starts (autostart), which must all
 * be running (or paused), and of any other machine of the lab that runs. An existing `name` is replaced
 * with `force`, else refused. A machine that fails is named; the record then holds no `name`.
 */
export async function saveLabSnapshot(ctx: LabSnapshots, name: string, options: { force?: boolean; now?: Date } = {}): Promise<SaveResult> {
  const { lab, backend } = ctx;
  // 1. Every machine up starts must run; the others are taken along when they do.
  const found = await findMachines(ctx, lab.machines.map((m) => m.name));
  const autostart = new Set(lab.machines.filter((m) => m.autostart).map((m) => m.name));
  // A paused machine's snapshot keeps its memory too (libvirt: snapshot state "paused"; VirtualBox: an online snapshot).
  const up = (f: Found) => f.state.state === "running" || f.state.state === "paused";
  const notUp = found.filter((f) => autostart.has(f.name) && !up(f));
  if (notUp.length) {
    throw new LabNotUpError(
      `cannot save snapshot "${name}": lab ${lab.name} is not up`,
      notUp.map((f) => ({ path: f.name, message: f.state.state === "not_created" ? "not created" : `not running (${f.state.said})`, fix: "run kvm-lab up" })),
      { hint: "run kvm-lab up, then save the snapshot" },
    );
  }
  const targets = found.filter((f) => up(f) && f.machine);
  // 2. An existing snapshot of that name: replaced with --force, refused otherwise.
  const record = await readRecord(ctx.stateDir);
  const before = findEntry(record, name, lab.provider);
  const lists = await listAll(ctx, targets);
  const holders = targets.filter((f) => has(lists.get(f.name), name)).map((f) => f.name);
  if ((before || holders.length) && !options.force) {
    const when = before ? ` (saved ${before.created})` : ` (on ${holders.join(", ")}, not saved by kvm-lab)`;
    throw new UsageError(`lab ${lab.name} already has a snapshot "${name}"${when}`, { hint: `kvm-lab snapshot save ${name} --force replaces it; or give another name` });
  }
  // 3. Every machine at once; each failure kept.
  const { done, failed } = await eachOf(targets, backend.parallel, (f) => backend.save(f.machine!, name));
  const entry: SnapshotEntry = {
    name,
    created: (options.now ?? new Date()).toISOString(),
    provider: lab.provider,
    machines: inLabOrder(lab, targets.map((f) => f.name)),
    configDigest: labConfigDigest(lab),
  };
  if (failed.length) {
    const problems = problemsOf(lab, failed.map(([f, e]) => [f.name, e]));
    await forgetSnapshot(ctx.stateDir, name, lab.provider);
    throw new SnapshotFailedError(`snapshot "${name}" of lab ${lab.name} failed on ${failed.length} of ${targets.length} machines`, problems, inLabOrder(lab, done.map((f) => f.name)), {
      hint: `fix the cause and run kvm-lab snapshot save ${name} --force (the machines it was done on hold the new snapshot)`,
    });
  }
  // 4. Recorded only once every machine holds it.
  await recordSnapshot(ctx.stateDir, entry);
  return { entry, replaced: Boolean(before || holders.length) };
}

/** The snapshots kvm-lab recorded for the lab's provider, newest last. */
async function recordedOf(ctx: LabSnapshots): Promise<SnapshotEntry[]> {
  return (await readRecord(ctx.stateDir)).snapshots.filter((s) => s.provider === ctx.lab.provider);
}

/** The usage error for a name the lab has no snapshot of, naming the ones it has. */
function unknownSnapshot(ctx: LabSnapshots, name: string, known: string[]): UsageError {
  return new UsageError(`lab ${ctx.lab.name} has no snapshot "${name}"`, {
    hint: known.length ? `its snapshots: ${known.join(", ")} (kvm-lab snapshot list)` : "it has no snapshots yet: kvm-lab snapshot save [NAME]",
  });
}

/** What a snapshot stands for: the record's entry, or one every created machine holds (saved by `vagrant snapshot save`, say). */
async function resolve(ctx: LabSnapshots, name: string): Promise<{ entry?: SnapshotEntry; machines: string[]; found: Found[] }> {
  const recorded = await recordedOf(ctx);
  const entry = recorded.find((s) => s.name === name);
  if (entry) {
    const machines = entry.machines.filter((m) => ctx.lab.machines.some((l) => l.name === m));
    return { entry, machines, found: await findMachines(ctx, machines) };
  }
  const found = await findMachines(ctx, ctx.lab.machines.map((m) => m.name));
  const created = found.filter((f) => f.state.state !== "not_created");
  const lists = await listAll(ctx, created);
  if (created.length && created.every((f) => has(lists.get(f.name), name))) return { machines: created.map((f) => f.name), found: created };
  const known = [...new Set([...recorded.map((s) => s.name), ...[...lists.values()].flatMap((l) => (Array.isArray(l) ? l.map((s) => s.name) : []))])];
  throw unknownSnapshot(ctx, name, known);
}

export interface RestoreResult {
  entry?: SnapshotEntry;
  /** The machines brought back. */
  machines: string[];
  /** Machines of the lab the snapshot does not hold (added to the config since): left as they are. */
  notInSnapshot: string[];
  /** The config's digest differs from the one at save time. */
  configChanged: boolean;
}

/**
 * Restores snapshot `name` on each machine it holds, all at once where the provider allows;
 * machines whose restore fails are named with the provider's words (the others are restored).
 */
export async function restoreLabSnapshot(ctx: LabSnapshots, name: string): Promise<RestoreResult> {
  const { lab, backend } = ctx;
  const { entry, machines, found } = await resolve(ctx, name);
  const gone = found.filter((f) => f.state.state === "not_created");
  if (gone.length) {
    throw new LabNotUpError(
      `cannot restore snapshot "${name}" of lab ${lab.name}: machines are not created`,
      gone.map((f) => ({ path: f.name, message: "not created (a destroyed machine's snapshots go with it)", fix: "run kvm-lab up, then save a snapshot again" })),
      { hint: "run kvm-lab up" },
    );
  }
  const { done, failed } = await eachOf(found, backend.parallel, (f) => backend.restore(f.machine!, name));
  if (failed.length) {
    throw new SnapshotFailedError(
      `restoring snapshot "${name}" of lab ${lab.name} failed on ${failed.length} of ${found.length} machines`,
      problemsOf(lab, failed.map(([f, e]) => [f.name, e])),
      inLabOrder(lab, done.map((f) => f.name)),
      { hint: "the machines named are as they were before; kvm-lab snapshot list shows which machines hold which snapshot" },
    );
  }
  return {
    entry,
    machines: inLabOrder(lab, machines),
    notInSnapshot: lab.machines.map((m) => m.name).filter((m) => !machines.includes(m)),
    configChanged: entry ? entry.configDigest !== labConfigDigest(lab) : false,
  };
}

/** Deletes snapshot `name` from every machine that holds it and from the record. */
export async function deleteLabSnapshot(ctx: LabSnapshots, name: string): Promise<{ machines: string[] }> {
  const { lab, backend } = ctx;
  const recorded = await recordedOf(ctx);
  const found = (await findMachines(ctx, lab.machines.map((m) => m.name))).filter((f) => f.state.state !== "not_created");
  const lists = await listAll(ctx, found);
  const holders = found.filter((f) => has(lists.get(f.name), name));
  if (!holders.length && !recorded.some((s) => s.name === name)) {
    const known = [...new Set([...recorded.map((s) => s.name), ...[...lists.values()].flatMap((l) => (Array.isArray(l) ? l.map((s) => s.name) : []))])];
    throw unknownSnapshot(ctx, name, known);
  }
  const { done, failed } = await eachOf(holders, backend.parallel, (f) => backend.delete(f.machine!, name));
  if (failed.length) {
    throw new SnapshotFailedError(
      `deleting snapshot "${name}" of lab ${lab.name} failed on ${failed.length} of ${holders.length} machines`,
      problemsOf(lab, failed.map(([f, e]) => [f.name, e])),
      inLabOrder(lab, done.map((f) => f.name)),
      { hint: `run kvm-lab snapshot delete ${name} again once the cause is fixed` },
    );
  }
  await forgetSnapshot(ctx.stateDir, name, lab.provider);
  return { machines: inLabOrder(lab, done.map((f) => f.name)) };
}

export interface ListedMachine {
  name: string;
  /** The provider holds this snapshot of the machine. */
  present: boolean;
  /** With memory (a restore resumes without a boot); null when the provider does not say. */
  memory: boolean | null;
  /** Why it is not there or could not be asked: "not created", the provider's words. */
  note?: string;
}

export interface ListedSnapshot {
  name: string;
  /** When kvm-lab saved it; null for one only the provider knows (e.g. `vagrant snapshot save`). */
  created: string | null;
  /** kvm-lab's record has it. */
  recorded: boolean;
  /** The lab's config changed since it was saved (its digest differs); null when not recorded. */
  configChanged: boolean | null;
  /** Every machine it covers holds it. */
  complete: boolean;
  machines: ListedMachine[];
}

export interface SnapshotListing {
  lab: string;
  provider: string;
  configDigest: string;
  snapshots: ListedSnapshot[];
}

/** The record joined with what the provider really holds: each snapshot with each machine's part in it. */
export async function listLabSnapshots(ctx: LabSnapshots): Promise<SnapshotListing> {
  const { lab } = ctx;
  const recorded = await recordedOf(ctx);
  const found = await findMachines(ctx, lab.machines.map((m) => m.name));
  const lists = await listAll(ctx, found);
  const digest = labConfigDigest(lab);
  const machineOf = (name: string, snapshot: string): ListedMachine => {
    const f = found.find((x) => x.name === name);
    if (!f) return { name, present: false, memory: null, note: "no longer in the config" };
    if (f.state.state === "not_created") return { name, present: false, memory: null, note: "not created" };
    const list = lists.get(name);
    if (list instanceof Error) return { name, present: false, memory: null, note: list.message };
    const snap = list?.find((s) => s.name === snapshot);
    return snap ? { name, present: true, memory: snap.memory ?? null } : { name, present: false, memory: null, note: "missing: the provider has no such snapshot of it" };
  };
  const snapshots: ListedSnapshot[] = recorded.map((entry) => {
    const machines = entry.machines.map((m) => machineOf(m, entry.name));
    return { name: entry.name, created: entry.created, recorded: true, configChanged: entry.configDigest !== digest, complete: machines.every((m) => m.present), machines };
  });
  // Snapshots only the provider knows, in the order the machines list them.
  const others = [...new Set([...lists.values()].flatMap((l) => (Array.isArray(l) ? l.map((s) => s.name) : [])))].filter((n) => !recorded.some((s) => s.name === n));
  for (const name of others) {
    const machines = found.filter((f) => has(lists.get(f.name), name)).map((f) => machineOf(f.name, name));
    snapshots.push({ name, created: null, recorded: false, configChanged: null, complete: false, machines });
  }
  return { lab: lab.name, provider: lab.provider, configDigest: digest, snapshots };
}

/**
 * Whether the clean snapshot (or `name`) can stand in for destroy + up: recorded for this
 * config (same digest), covering every machine `up` starts, each created and holding it.
 * The reason when not, in words for the user.
 */
export async function snapshotFits(ctx: LabSnapshots, name: string, machines: string[]): Promise<{ fits: true } | { fits: false; reason: string }> {
  const entry = findEntry(await readRecord(ctx.stateDir), name, ctx.lab.provider);
  if (!entry) return { fits: false, reason: `no "${name}" snapshot yet` };
  if (entry.configDigest !== labConfigDigest(ctx.lab)) return { fits: false, reason: `the config changed since the "${name}" snapshot (saved ${entry.created})` };
  const outside = machines.filter((m) => !entry.machines.includes(m));
  if (outside.length) return { fits: false, reason: `the "${name}" snapshot does not hold ${outside.join(", ")}` };
  const found = await findMachines(ctx, entry.machines);
  const gone = found.filter((f) => f.state.state === "not_created").map((f) => f.name);
  if (gone.length) return { fits: false, reason: `${gone.join(", ")} not created (destroyed since the "${name}" snapshot)` };
  const lists = await listAll(ctx, found);
  const missing = found.filter((f) => !has(lists.get(f.name), name)).map((f) => f.name);
  if (missing.length) return { fits: false, reason: `${missing.join(", ")} no longer hold${missing.length === 1 ? "s" : ""} the "${name}" snapshot` };
  return { fits: true };
}

/** Whether Vagrant has created any of the lab's machines (an id in .vagrant/). */
export async function anyCreated(ctx: Pick<LabSnapshots, "lab" | "dir">): Promise<boolean> {
  const ids = await Promise.all(ctx.lab.machines.map((m) => machineIdOf(ctx.dir, m.name, ctx.lab.provider)));
  return ids.some(Boolean);
}
