// `kvm-lab render`: the lab's Vagrantfile to disk (never over hand edits without --force,
// which keeps them under a fresh backup name), to stdout, or compared with the one on disk.
import { writeVagrantfile } from "../../render/write.js";
import { loadForCommand, shownPath, type Io, type LabArgs } from "../context.js";
import { diskStateOfLab, labVagrantfile, outOfDateError, renderFlagsOf } from "../vagrantfile-on-disk.js";

export interface RenderArgs extends LabArgs {
  out?: string;
  stdout?: boolean;
  check?: boolean;
  force?: boolean;
}

/** Renders the lab's Vagrantfile: to stdout, to disk, or compared with the one on disk. */
export async function renderCommand(io: Io, args: RenderArgs): Promise<number> {
  const loaded = await loadForCommand(io, args);
  const vagrantfile = labVagrantfile(io, loaded, args.out);
  if (args.stdout) {
    io.out(vagrantfile.text.trimEnd());
    return 0;
  }
  const { shown } = vagrantfile;
  if (args.check) {
    const problem = await outOfDateError(vagrantfile, await diskStateOfLab(vagrantfile), renderFlagsOf(args));
    if (problem) throw problem;
    io.out(`${shown} is up to date`);
    return 0;
  }
  const result = await writeVagrantfile(vagrantfile.file, vagrantfile.text, { force: args.force });
  const verb = { created: "wrote", updated: "updated", unchanged: "unchanged:" }[result.outcome];
  const count = loaded.lab.machines.length;
  io.out(`${verb} ${shown} (${count} machine${count === 1 ? "" : "s"}, ${loaded.lab.provider})`);
  if (result.backup) io.err(`kept the previous file as ${shownPath(io, result.backup)}`);
  return 0;
}
