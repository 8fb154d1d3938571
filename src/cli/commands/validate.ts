// `kvm-lab validate`: the config's own checks, then the Vagrantfile on disk, the one `up`
// would use: is it what the config renders now (not missing, stale or hand-edited), and
// does Vagrant accept it (the real `vagrant validate`, run on that very file).
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { VagrantFailedError, VagrantMissingError } from "../../errors.js";
import type { Provider } from "../../config/types.js";
import { executeVagrant, type VagrantOptions } from "../../vagrant/execute.js";
import { nfsHostMissing, providerMissing, validateWithVagrant, type ProviderMissing } from "../../vagrant/validate.js";
import { loadForCommand, shownPath, type Io, type LabArgs } from "../context.js";
import { diskStateOfLab, labVagrantfile, outOfDateError, renderFlagsOf } from "../vagrantfile-on-disk.js";

export interface ValidateArgs extends LabArgs {
  /** The Vagrantfile to check, when it is not beside the config (as render --out wrote it). */
  vagrantfile?: string;
}

/** Config checks, then the Vagrantfile on disk: current, and accepted by `vagrant validate` when vagrant is there. */
export async function validateCommand(io: Io, args: ValidateArgs): Promise<number> {
  // 1. The config: loading it checks every field.
  const loaded = await loadForCommand(io, args);
  const { lab } = loaded;
  io.out(`config ok: ${shownPath(io, loaded.file)} (${lab.machines.length} machine${lab.machines.length === 1 ? "" : "s"}, provider ${lab.provider})`);
  // 2. The file on disk against what the config renders now.
  const vagrantfile = labVagrantfile(io, loaded, args.vagrantfile);
  const state = await diskStateOfLab(vagrantfile);
  const outOfDate = await outOfDateError(vagrantfile, state, renderFlagsOf({ ...args, out: args.vagrantfile }));
  if (state === "missing") throw outOfDate;
  // 3. Vagrant's own checks of that very file (VAGRANT_VAGRANTFILE: its name in cwd), with its
  //    .vagrant state in a temporary folder (VAGRANT_DOTFILE_PATH), so validating leaves
  //    nothing in the lab folder (hashicorp/vagrant lib/vagrant/environment.rb, Environment#initialize).
  const dotfiles = await fs.mkdtemp(path.join(os.tmpdir(), "kvm-lab-validate-"));
  const options: VagrantOptions = {
    cwd: path.dirname(vagrantfile.file),
    env: { VAGRANT_VAGRANTFILE: path.basename(vagrantfile.file), VAGRANT_DOTFILE_PATH: dotfiles, VAGRANT_DEFAULT_PROVIDER: lab.provider },
  };
  try {
    const said = await validateWithVagrant(lab.provider, options);
    io.out(`vagrant validate ${vagrantfile.shown}: ${lastLine(said)}`);
  } catch (error) {
    if (error instanceof VagrantMissingError) {
      io.err(`vagrant validate skipped: ${error.message}`);
    } else {
      const missing = error instanceof VagrantFailedError ? providerMissing(lab.provider, error.stderr) : undefined;
      if (!missing) {
        if (outOfDate) io.err(`note: ${outOfDate.message}; ${outOfDate.hint}`);
        throw withNfsFix(error);
      }
      await validateWithoutProvider(io, lab.provider, vagrantfile.shown, options, missing).catch((failed: unknown) => {
        throw withNfsFix(failed);
      });
    }
  } finally {
    await fs.remove(dotfiles);
  }
  if (outOfDate) throw outOfDate;
  return 0;
}

/**
 * The provider cannot run here: validate all but its block (`vagrant validate
 * --ignore-provider`, hashicorp/vagrant plugins/commands/validate/command.rb, since 2.2.2,
 * PRs 10351 and 10467), and say what was not checked and why. Not a failure of the lab.
 */
async function validateWithoutProvider(
  io: Io,
  provider: Provider,
  shown: string,
  options: VagrantOptions,
  missing: ProviderMissing,
): Promise<void> {
  io.err(`the ${provider} block cannot be checked here: ${missing.reason}`);
  const { stdout } = await executeVagrant(["validate", "--ignore-provider"], options);
  io.out(`vagrant validate ${shown}: ${lastLine(stdout)} (all but the ${provider} provider block)`);
  io.err(`the config itself is fine: it rendered, and Vagrant parsed the Vagrantfile and validated the rest of it`);
  io.err(`hint: ${missing.fix}`);
}

/** Vagrant refused the file because this host serves no NFS: its words stand, with the fix as the hint. */
function withNfsFix(error: unknown): unknown {
  const fix = error instanceof VagrantFailedError && !error.hint ? nfsHostMissing(error.stderr) : undefined;
  return fix && error instanceof VagrantFailedError ? new VagrantFailedError(error.command, error.stderr, { hint: fix, cause: error }) : error;
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() || "ok";
}
