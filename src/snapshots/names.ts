// Snapshot names: one name covers every machine of a lab. The name `snapshot save` and
// `snapshot restore` take when none is given, the clean snapshot `test --reuse` and `reset`
// use, and the spelling every name must have (it reaches virsh and VBoxManage as an argument
// and `vagrant snapshot list` shows it, so it stays a plain word).
import { UsageError } from "../errors.js";

/** `snapshot save` / `snapshot restore` without a NAME. */
export const DEFAULT_SNAPSHOT = "default";

/** The clean snapshot: saved by the first `test --reuse` right after `up`, restored by later ones and by `reset`. */
export const CLEAN_SNAPSHOT = "clean";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** The name as given, or a usage error naming the rule. */
export function checkSnapshotName(name: string): string {
  if (!NAME.test(name)) {
    throw new UsageError(`"${name}" is not a snapshot name`, {
      hint: "use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. before-upgrade)",
    });
  }
  return name;
}
