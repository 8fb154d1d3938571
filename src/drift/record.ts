// The record of what `kvm-lab up` applied (.kvm-lab/applied.json): per machine that really
// came up, each facet's fingerprint and text, the provider id, the live facts read right
// after (the baseline a change made outside kvm-lab is measured against), and the digest of
// the Vagrantfile it came up with. Written atomically; a record that cannot be read is
// treated as absent (every machine then shows its config as unrecorded), never trusted.
import { createHash } from "node:crypto";
import path from "node:path";
import fs from "fs-extra";
import type { Provider } from "../config/types.js";
import { writeFileAtomic } from "../render/write.js";
import type { Facet } from "./facets.js";
import type { LiveFacts } from "./live.js";

/** Bumped when the record's shape changes; an older record is read as absent. */
export const RECORD_VERSION = 1;

export interface MachineRecord {
  /** ISO time of the up that applied it. */
  appliedAt: string;
  provider: Provider;
  /** The provider id the machine had then. */
  id: string;
  /** sha256 of the Vagrantfile the machine was brought up with. */
  vagrantfile: string;
  /** Whether preflight ran it under QEMU software emulation. */
  tcg: boolean;
  facets: Record<string, Pick<Facet, "kind" | "text" | "hash">>;
  /** The provider's facts right after it was applied. */
  live: Pick<LiveFacts, "memoryMiB" | "cpus" | "nics">;
}

export interface AppliedRecord {
  version: number;
  lab: string;
  machines: Record<string, MachineRecord>;
}

/** Where the record of the lab whose state folder is `state` (.kvm-lab) lives. */
export function recordFile(state: string): string {
  return path.join(state, "applied.json");
}

/** sha256 of a Vagrantfile's text, as the record keeps it. */
export function vagrantfileDigest(text: string): string {
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

/** The record, or an empty one when there is none yet or it is not one this kvm-lab wrote. */
export async function readRecord(state: string, lab: string): Promise<AppliedRecord> {
  const empty: AppliedRecord = { version: RECORD_VERSION, lab, machines: {} };
  try {
    const read = JSON.parse(await fs.readFile(recordFile(state), "utf8")) as AppliedRecord;
    if (read?.version !== RECORD_VERSION || typeof read.machines !== "object" || read.machines === null) return empty;
    return { version: RECORD_VERSION, lab, machines: read.machines };
  } catch {
    return empty;
  }
}

/** A machine's entry as up records it once the machine runs. */
export function machineRecord(provider: Provider, facets: Facet[], live: LiveFacts, vagrantfile: string, tcg: boolean, now = new Date()): MachineRecord {
  return {
    appliedAt: now.toISOString(),
    provider,
    id: live.id,
    vagrantfile,
    tcg,
    facets: Object.fromEntries(facets.map(({ key, kind, text, hash }) => [key, { kind, text, hash }])),
    live: { memoryMiB: live.memoryMiB, cpus: live.cpus, nics: live.nics },
  };
}

/**
 * Writes the record with `updated` machines replaced and `dropped` ones removed; the others
 * are kept as they were (an up of some machines leaves the rest's record alone).
 */
export async function updateRecord(state: string, lab: string, updated: Record<string, MachineRecord>, dropped: string[] = []): Promise<AppliedRecord> {
  const current = await readRecord(state, lab);
  const machines = { ...current.machines, ...updated };
  for (const name of dropped) delete machines[name];
  const sorted = Object.fromEntries(Object.entries(machines).sort(([a], [b]) => a.localeCompare(b)));
  const record: AppliedRecord = { version: RECORD_VERSION, lab, machines: sorted };
  await fs.ensureDir(state);
  await writeFileAtomic(recordFile(state), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}
