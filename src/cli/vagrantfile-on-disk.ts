// The lab's Vagrantfile as the CLI speaks of it: where it is, what the config renders for
// that place, and what is wrong with the one on disk, with the command that fixes it.
// render --check and validate say the same words for the same state.
import path from "node:path";
import { OutOfDateError } from "../errors.js";
import type { LoadedLab } from "../config/load.js";
import { renderVagrantfile } from "../render/vagrantfile.js";
import { diskStateOf, freeBackupName, type DiskState } from "../render/write.js";
import { shownPath, vagrantfilePath, type Io } from "./context.js";

export interface LabVagrantfile {
  /** Absolute path. */
  file: string;
  /** As the user should read it: relative to where they are, unless outside it. */
  shown: string;
  /** What the config renders for that place (its header names the config relative to it). */
  text: string;
}

/** The Vagrantfile for the loaded lab at --out or beside the config, and its text. */
export function labVagrantfile(io: Io, loaded: LoadedLab, out?: string): LabVagrantfile {
  const file = vagrantfilePath(io, loaded, out);
  const source = path.relative(path.dirname(file), loaded.file) || path.basename(loaded.file);
  return { file, shown: shownPath(io, file), text: renderVagrantfile(loaded.lab, { source }) };
}

/** The state of the Vagrantfile on disk next to what the config renders. */
export function diskStateOfLab(vagrantfile: LabVagrantfile): Promise<DiskState> {
  return diskStateOf(vagrantfile.file, vagrantfile.text);
}

/** What is wrong with a Vagrantfile on disk that is not the current render, and the fix; undefined when current. */
export async function outOfDateError(vagrantfile: LabVagrantfile, state: DiskState, renderFlags = ""): Promise<OutOfDateError | undefined> {
  const { shown } = vagrantfile;
  const render = `kvm-lab render${renderFlags}`;
  switch (state) {
    case "current":
      return undefined;
    case "missing":
      return new OutOfDateError(`${shown} does not exist`, { hint: `run \`${render}\` to write it` });
    case "stale":
      return new OutOfDateError(`${shown} differs from what the config renders: the config (or kvm-lab) changed since it was rendered`, {
        hint: `run \`${render}\` (nobody edited the file, so it is simply replaced) and commit the result`,
      });
    case "edited":
    case "foreign": {
      const keptAs = path.basename(await freeBackupName(vagrantfile.file));
      const why = state === "edited" ? "was edited by hand since kvm-lab wrote it" : "was not written by kvm-lab";
      return new OutOfDateError(`${shown} ${why}, so it is not what the config renders`, {
        hint: `move your changes into the lab config, then run \`${render} --force\` (it keeps the old file as ${keptAs})`,
      });
    }
  }
}

/** The flags that make `kvm-lab render` write the same file again (--config, --out, --provider as given). */
export function renderFlagsOf(args: { config?: string; out?: string; provider?: string }): string {
  const quote = (text: string) => (/^[A-Za-z0-9._\/=:@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`);
  return [
    ...(args.config ? [` --config ${quote(args.config)}`] : []),
    ...(args.out ? [` --out ${quote(args.out)}`] : []),
    ...(args.provider ? [` --provider ${args.provider}`] : []),
  ].join("");
}
