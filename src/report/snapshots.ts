// A lab's snapshots for people (a table: each snapshot, when, its machines and what is off
// about it) and for programs (`snapshot list --json`: the same listing, every key always there).
import type { SnapshotListing } from "../snapshots/lab.js";
import { formatTable } from "../text/table.js";

/** One line per snapshot: name, when it was saved, its machines (each missing one marked), what is off about it. */
export function formatSnapshotTable(listing: SnapshotListing, width?: number): string {
  if (!listing.snapshots.length) return `lab ${listing.lab} has no snapshots (kvm-lab snapshot save [NAME])`;
  const rows = listing.snapshots.map((s) => {
    const machines = s.machines.map((m) => (m.present ? m.name : `${m.name} (${m.note ?? "missing"})`)).join(", ");
    const notes = [
      !s.recorded ? "not saved by kvm-lab" : "",
      s.recorded && !s.complete ? "incomplete: restore fails on the machines marked" : "",
      s.configChanged ? "config changed since" : "",
      s.machines.some((m) => m.present && m.memory === false) ? "disks only (restore boots)" : "",
    ].filter(Boolean);
    return [s.name, s.created ?? "-", machines || "-", notes.join("; ") || "ok"];
  });
  return formatTable(["NAME", "SAVED", "MACHINES", "STATE"], rows, { width });
}

/** The listing for --json. */
export function snapshotListObject(listing: SnapshotListing) {
  return {
    lab: listing.lab,
    provider: listing.provider,
    configDigest: listing.configDigest,
    snapshots: listing.snapshots.map((s) => ({
      name: s.name,
      created: s.created,
      recorded: s.recorded,
      configChanged: s.configChanged,
      complete: s.complete,
      machines: s.machines.map((m) => ({ name: m.name, present: m.present, memory: m.memory, note: m.note ?? null })),
    })),
  };
}
