// Writing a Vagrantfile without losing anything: atomic (temp file, then rename), and
// never over a file kvm-lab did not write or that was edited since, unless forced, in
// which case the old file is kept beside it.
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
      throw new OverwriteRefusedError(`${file} ${why}; not overwriting it`, {
        hint: "move your changes into the lab config, or run again with --force (the old file is kept as Vagrantfile.kvm-lab.bak)",
      });
    }
    backup = `${file}.kvm-lab.bak`;
    await fs.copy(file, backup, { overwrite: true });
  }
  await writeFileAtomic(file, text);
  return { outcome: "updated", backup };
}
