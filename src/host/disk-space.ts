// Free disk space where something is about to be written (VM disks, built boxes), asked of the
// nearest folder that exists, since the target folder often does not exist yet.
import path from "node:path";
import fs from "fs-extra";

/** Free bytes for an unprivileged writer under `dir`; undefined when no folder up to the root answers. */
export async function freeBytesUnder(dir: string): Promise<number | undefined> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      const stats = await fs.promises.statfs(at);
      return stats.bavail * stats.bsize;
    } catch {
      if (path.dirname(at) === at) return undefined;
    }
  }
}
