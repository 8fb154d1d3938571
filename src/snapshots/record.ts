// The lab's snapshot record, .kvm-lab/snapshots.json: which lab-level snapshots kvm-lab saved,
// when, of which machines, on which provider, and the digest of the lab's config then (so
// `test --reuse` can tell that the config changed since the clean snapshot). Written
// atomically; the provider's own snapshots stay the truth of what exists (see lab.ts: list).
import path from "node:path";
import fs from "fs-extra";
import type { Provider } from "../config/types.js";
import { KvmLabError } from "../errors.js";
import { writeFileAtomic } from "../render/write.js";

export interface SnapshotEntry {
  name: string;
  /** When it was saved (ISO 8601, UTC). */
  created: string;
  provider: Provider;
  /** The machines it was saved of, in the lab's order. */
  machines: string[];
  /** The lab config's digest when it was saved (digest.ts). */
  configDigest: string;
}

export interface SnapshotRecord {
  version: 1;
  snapshots: SnapshotEntry[];
}

/** The record file of a lab whose state folder (.kvm-lab/) is `stateDir`. */
export const recordFile = (stateDir: string) => path.join(stateDir, "snapshots.json");

/** The record, empty when there is none yet; a file that is not a record is an error naming it. */
export async function readRecord(stateDir: string): Promise<SnapshotRecord> {
  const file = recordFile(stateDir);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, snapshots: [] };
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new KvmLabError(`${file} is not JSON: ${(error as Error).message}`, { hint: "fix it, or remove it (the provider's snapshots stay; snapshot list shows them)", cause: error });
  }
  const record = data as Partial<SnapshotRecord>;
  if (record?.version !== 1 || !Array.isArray(record.snapshots) || !record.snapshots.every(isEntry)) {
    throw new KvmLabError(`${file} is not a kvm-lab snapshot record (version 1)`, { hint: "fix it, or remove it (the provider's snapshots stay; snapshot list shows them)" });
  }
  return record as SnapshotRecord;
}

function isEntry(entry: unknown): entry is SnapshotEntry {
  const e = entry as SnapshotEntry;
  return (
    typeof e?.name === "string" &&
    typeof e.created === "string" &&
    typeof e.provider === "string" &&
    Array.isArray(e.machines) &&
    e.machines.every((m) => typeof m === "string") &&
    typeof e.configDigest === "string"
  );
}

/** The entry of `name` on `provider`, if recorded. */
export function findEntry(record: SnapshotRecord, name: string, provider: Provider): SnapshotEntry | undefined {
  return record.snapshots.find((s) => s.name === name && s.provider === provider);
}

/** Records `entry`, replacing an entry of the same name and provider (written atomically). */
export async function recordSnapshot(stateDir: string, entry: SnapshotEntry): Promise<void> {
  await updateRecord(stateDir, (record) => ({ ...record, snapshots: [...record.snapshots.filter((s) => !(s.name === entry.name && s.provider === entry.provider)), entry] }));
}

/** Forgets the snapshot `name` of `provider` (written atomically; nothing when not recorded). */
export async function forgetSnapshot(stateDir: string, name: string, provider: Provider): Promise<void> {
  await updateRecord(stateDir, (record) => ({ ...record, snapshots: record.snapshots.filter((s) => !(s.name === name && s.provider === provider)) }));
}

async function updateRecord(stateDir: string, change: (record: SnapshotRecord) => SnapshotRecord): Promise<void> {
  const before = await readRecord(stateDir);
  const after = change(before);
  if (JSON.stringify(after) === JSON.stringify(before)) return;
  await fs.ensureDir(stateDir);
  await writeFileAtomic(recordFile(stateDir), `${JSON.stringify(after, null, 2)}\n`);
}
