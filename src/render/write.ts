// Writing files without losing anything: atomic (temp file, then rename); a Vagrantfile
// never over one kvm-lab did not write or that was edited since, unless forced, in which
// case the old file is kept beside it under a backup name no earlier backup holds.
import path from "node:path";
import { randomBytes } from "node:crypto";
import fs from "fs-extra";
import { OverwriteRefusedError } from "../errors.js";
import { provenanceOf } from "./digest.js";

export type WriteOutcome = "created" | "updated" | "unchanged";

export interface WriteResult {
  outcome: WriteOutcome;
  /** Where the replaced hand-written or hand-edited file was kept, when --force replaced one. */
  backup?: string;
}

/** Writes `text` to `file` atomically: readers see the old file or the new one, never half of one. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await fs.promises.open(temp, "w", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.remove(temp).catch(() => undefined);
    throw error;
  }
}

/** The first `<file>.kvm-lab.bak`, `.kvm-lab.bak.1`, `.kvm-lab.bak.2`, ... that does not exist yet. */
export async function freeBackupName(file: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = `${file}.kvm-lab.bak${n ? `.${n}` : ""}`;
    if (!(await fs.pathExists(candidate))) return candidate;
  }
}

/**
 * Copies `file` to the first free backup name and returns that name. Never replaces a file:
 * the copy is exclusive, so a backup made meanwhile by another run moves this one along.
 */
export async function keepBackup(file: string): Promise<string> {
  for (;;) {
    const candidate = await freeBackupName(file);
    try {
      await fs.promises.copyFile(file, candidate, fs.constants.COPYFILE_EXCL);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      await fs.remove(candidate).catch(() => undefined); // ours (the copy was exclusive), and half-written
      throw error;
    }
  }
}

export type DiskState = "missing" | "current" | "stale" | "edited" | "foreign";

/**
 * What the Vagrantfile at `file` is next to `text`, what the config renders now: missing,
 * current, stale (kvm-lab's own, from an older config), edited by hand, or not kvm-lab's.
 */
export async function diskStateOf(file: string, text: string): Promise<DiskState> {
  let current: string;
  try {
    current = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  if (current === text) return "current";
  const provenance = provenanceOf(current);
  return provenance === "ours" ? "stale" : provenance;
}

/** Writes the Vagrantfile, never over hand edits or a foreign file unless `force` (then the old one is kept). */
export async function writeVagrantfile(file: string, text: string, options: { force?: boolean } = {}): Promise<WriteResult> {
  let current: string | undefined;
  try {
    current = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (current === undefined) {
    await fs.ensureDir(path.dirname(file));
    await writeFileAtomic(file, text);
    return { outcome: "created" };
  }
  if (current === text) return { outcome: "unchanged" };
  const provenance = provenanceOf(current);
  let backup: string | undefined;
  if (provenance !== "ours") {
    if (!options.force) {
      const why = provenance === "edited" ? "was edited by hand since kvm-lab wrote it" : "was not written by kvm-lab";
      const keptAs = path.basename(await freeBackupName(file));
      throw new OverwriteRefusedError(`${file} ${why}; not overwriting it`, {
        hint: `move your changes into the lab config, or run again with --force (the old file is kept as ${keptAs})`,
      });
    }
    backup = await keepBackup(file);
  }
  await writeFileAtomic(file, text);
  return { outcome: "updated", backup };
}
