// `kvm-lab snapshot save|restore|list|delete [NAME]` and `kvm-lab reset`: lab-level
// snapshots (src/snapshots/). CLI work only: the lab loaded, the step run, what was done
// printed (or --json), and the exit code; the typed errors say which machine failed and why.
import path from "node:path";
import type { Lab } from "../../config/types.js";
import { UsageError } from "../../errors.js";
import { formatSnapshotTable, snapshotListObject } from "../../report/snapshots.js";
import { backendFor, deleteLabSnapshot, listLabSnapshots, restoreLabSnapshot, saveLabSnapshot, type LabSnapshots } from "../../snapshots/lab.js";
import { CLEAN_SNAPSHOT, checkSnapshotName, DEFAULT_SNAPSHOT } from "../../snapshots/names.js";
import { labDirs } from "../../vagrant/lab.js";
import { loadForCommand, type Io, type LabArgs } from "../context.js";

export const SNAPSHOT_ACTIONS = ["save", "restore", "list", "delete"] as const;
export type SnapshotAction = (typeof SNAPSHOT_ACTIONS)[number];

export interface SnapshotArgs extends LabArgs {
  action: SnapshotAction;
  name?: string;
  force?: boolean;
  json?: boolean;
}

/** The lab's snapshot context: its folders and its provider's backend. */
export function labSnapshotsOf(lab: Lab, file: string): LabSnapshots {
  const dirs = labDirs(path.dirname(file));
  return { lab, dir: dirs.dir, stateDir: dirs.state, backend: backendFor(lab) };
}

const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(2));

/** Restores `name` and prints what was done (shared by `snapshot restore` and `reset`). */
async function restore(io: Io, ctx: LabSnapshots, name: string, json?: boolean): Promise<number> {
  const start = performance.now();
  const result = await restoreLabSnapshot(ctx, name);
  const took = seconds(start);
  if (result.configChanged) io.err(`warning: the config changed since snapshot "${name}" was saved; the machines are as they were then (kvm-lab up applies the config)`);
  if (result.notInSnapshot.length) io.err(`warning: ${result.notInSnapshot.join(", ")} not in snapshot "${name}": left as ${result.notInSnapshot.length === 1 ? "it is" : "they are"}`);
  if (json) io.out(JSON.stringify({ lab: ctx.lab.name, action: "restore", snapshot: name, machines: result.machines, notInSnapshot: result.notInSnapshot, configChanged: result.configChanged, seconds: took }, null, 2));
  else io.out(`restored snapshot "${name}" of lab ${ctx.lab.name}: ${result.machines.join(", ")} (${took} s)`);
  return 0;
}

/** `kvm-lab snapshot <action> [NAME]`: save, restore, delete or list the lab's snapshots; the exit code. */
export async function snapshotCommand(io: Io, args: SnapshotArgs): Promise<number> {
  if (args.action === "list" && args.name !== undefined) throw new UsageError("snapshot list takes no NAME", { hint: "kvm-lab snapshot list" });
  if (args.action === "delete" && args.name === undefined) throw new UsageError("snapshot delete needs the NAME of the snapshot", { hint: "kvm-lab snapshot list shows them" });
  if (args.force && args.action !== "save") throw new UsageError(`--force is for snapshot save (replace a snapshot of the same name), not snapshot ${args.action}`, { hint: "leave out --force" });
  const name = checkSnapshotName(args.name ?? DEFAULT_SNAPSHOT);
  const loaded = await loadForCommand(io, args);
  const ctx = labSnapshotsOf(loaded.lab, loaded.file);
  const start = performance.now();
  switch (args.action) {
    case "save": {
      const { entry, replaced } = await saveLabSnapshot(ctx, name, { force: args.force });
      const took = seconds(start);
      if (args.json) io.out(JSON.stringify({ lab: ctx.lab.name, action: "save", snapshot: name, replaced, machines: entry.machines, created: entry.created, configDigest: entry.configDigest, seconds: took }, null, 2));
      else io.out(`${replaced ? "replaced" : "saved"} snapshot "${name}" of lab ${ctx.lab.name}: ${entry.machines.join(", ")} (${took} s)`);
      return 0;
    }
    case "restore":
      return restore(io, ctx, name, args.json);
    case "delete": {
      const { machines } = await deleteLabSnapshot(ctx, name);
      const took = seconds(start);
      if (args.json) io.out(JSON.stringify({ lab: ctx.lab.name, action: "delete", snapshot: name, machines, seconds: took }, null, 2));
      else io.out(`deleted snapshot "${name}" of lab ${ctx.lab.name}${machines.length ? `: ${machines.join(", ")}` : " (no machine held it; record entry removed)"} (${took} s)`);
      return 0;
    }
    case "list": {
      const listing = await listLabSnapshots(ctx);
      io.out(args.json ? JSON.stringify(snapshotListObject(listing), null, 2) : formatSnapshotTable(listing, io.outColumns));
      return 0;
    }
  }
}

/** `kvm-lab reset`: the lab back to its clean snapshot (the one `test --reuse` saves after up). */
export async function resetCommand(io: Io, args: LabArgs & { json?: boolean }): Promise<number> {
  const loaded = await loadForCommand(io, args);
  const ctx = labSnapshotsOf(loaded.lab, loaded.file);
  const known = (await listLabSnapshots(ctx)).snapshots.some((s) => s.name === CLEAN_SNAPSHOT);
  if (!known) {
    throw new UsageError(`lab ${ctx.lab.name} has no clean snapshot to reset to`, { hint: `run kvm-lab test --reuse or kvm-lab snapshot save ${CLEAN_SNAPSHOT}` });
  }
  return restore(io, ctx, CLEAN_SNAPSHOT, args.json);
}
