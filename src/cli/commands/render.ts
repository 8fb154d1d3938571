import path from "node:path";
import fs from "fs-extra";
import { OutOfDateError } from "../../errors.js";
import { renderVagrantfile } from "../../render/vagrantfile.js";
import { writeVagrantfile } from "../../render/write.js";
import { loadForCommand, vagrantfilePath, type Io, type LabArgs } from "../context.js";

export interface RenderArgs extends LabArgs {
  out?: string;
  stdout?: boolean;
  check?: boolean;
  force?: boolean;
}

/** Renders the lab's Vagrantfile: to stdout, to disk, or compared with the one on disk. */
export async function renderCommand(io: Io, args: RenderArgs): Promise<number> {
  const loaded = await loadForCommand(io, args);
  const target = vagrantfilePath(io, loaded, args.out);
  const text = renderVagrantfile(loaded.lab, { source: path.relative(path.dirname(target), loaded.file) || path.basename(loaded.file) });
  if (args.stdout) {
    io.out(text.trimEnd());
    return 0;
  }
  const shown = path.relative(io.cwd, target) || target;
  if (args.check) {
    const current = await fs.readFile(target, "utf8").catch(() => undefined);
    if (current !== text) {
      throw new OutOfDateError(`${shown} ${current === undefined ? "does not exist" : "differs from what the config renders"}`, {
        hint: "run `kvm-lab render` and commit the result",
      });
    }
    io.out(`${shown} is up to date`);
    return 0;
  }
  const result = await writeVagrantfile(target, text, { force: args.force });
  const verb = { created: "wrote", updated: "updated", unchanged: "unchanged:" }[result.outcome];
  io.out(`${verb} ${shown} (${loaded.lab.machines.length} machine${loaded.lab.machines.length === 1 ? "" : "s"}, ${loaded.lab.provider})`);
  if (result.backup) io.err(`kept the previous file as ${path.relative(io.cwd, result.backup)}`);
  return 0;
}
