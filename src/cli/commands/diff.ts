// `kvm-lab diff [machine..]`: what `kvm-lab up` would do, without doing it. Per machine the
// config against the record of the last up, the running machine against the config (changes
// made outside kvm-lab), what each difference needs; machines no longer in the config; the
// Vagrantfile on disk against the config. Exit 0 when there is nothing to do, 10 when
// something is pending (EXIT.changesPending), as `terraform plan -detailed-exitcode` does.
import path from "node:path";
import { EXIT } from "../../errors.js";
import { labDrift } from "../../drift/lab.js";
import { diffObject, diffText } from "../../report/drift.js";
import { shownPath, type Io } from "../context.js";
import { open, type MachineArgs } from "./lab.js";

/** `kvm-lab diff [machine..]`: prints the comparison (text or --json); exit 0 or EXIT.changesPending. */
export async function diffCommand(io: Io, args: MachineArgs): Promise<number> {
  // The machines up starts without names (autostart), or the ones named: diff answers for what up would do.
  const loaded = await open(io, args, "autostart");
  const { diff } = await labDrift(loaded.lab, { dir: loaded.dirs.dir, state: loaded.dirs.state, source: path.basename(loaded.file), machines: loaded.machines });
  const shown = shownPath(io, diff.vagrantfile.file);
  io.out(args.json ? JSON.stringify(diffObject(diff, shown), null, 2) : diffText(diff, shown));
  return diff.pending ? EXIT.changesPending : EXIT.ok;
}
