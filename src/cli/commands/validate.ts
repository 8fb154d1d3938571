// `kvm-lab validate`: the config's own checks, then the Vagrantfile on disk, the one `up`
// would use: is it what the config renders now (not missing, stale or hand-edited), and
// does Vagrant accept it (the real `vagrant validate`, run on that very file).
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { VagrantFailedError, VagrantMissingError } from "../../errors.js";
import type { Provider } from "../../config/types.js";
import { executeVagrant, type VagrantOptions } from "../../vagrant/execute.js";
import { validateWithVagrant } from "../../vagrant/validate.js";
import { loadForCommand, shownPath, type Io, type LabArgs } from "../context.js";
import { diskStateOfLab, labVagrantfile, outOfDateError, renderFlagsOf } from "../vagrantfile-on-disk.js";

// Vagrant's words when the provider a machine asks for cannot run here (hashicorp/vagrant
// templates/locales/en.yml): `provider_not_usable` (Vagrant::Errors::ProviderNotUsable, the
// provider's own reason below it) and `provider_not_found` (Vagrant::Errors::ProviderNotFound,
// a provider plugin that is not installed, as vagrant-libvirt).
const PROVIDER_NOT_USABLE = /is reporting that it isn't usable on this system\.\s+The\s+reason is shown below:\s*([\s\S]*)$/;
const PROVIDER_NOT_FOUND = /The provider '[^']+' could not be found, but was requested to\s+back the machine/;
// `virtualbox_not_detected` (Vagrant::Errors::VirtualBoxNotDetected): VBoxManage is not on PATH.
const VIRTUALBOX_NOT_DETECTED = /Vagrant could not detect VirtualBox!/;

/** Why Vagrant could not check the provider block, in our words, with the fix; undefined for any other failure. */
function providerMissing(provider: Provider, said: string): { reason: string; fix: string } | undefined {
  if (VIRTUALBOX_NOT_DETECTED.test(said)) {
    return {
      reason: "VirtualBox is not installed here (Vagrant found no VBoxManage on PATH)",
      fix: "install VirtualBox, or put the folder holding VBoxManage on PATH, to have its block checked too",
    };
  }
  if (PROVIDER_NOT_FOUND.test(said)) {
    return provider === "libvirt"
      ? { reason: "the vagrant-libvirt plugin is not installed", fix: "vagrant plugin install vagrant-libvirt" }
      : { reason: `Vagrant has no ${provider} provider`, fix: `install the ${provider} provider` };
  }
  const usable = PROVIDER_NOT_USABLE.exec(said);
  if (usable) return { reason: `${provider} cannot run here: ${usable[1].trim().replace(/\s+/g, " ")}`, fix: `install or repair ${provider}` };
  return undefined;
}

export interface ValidateArgs extends LabArgs {
  /** The Vagrantfile to check, when it is not beside the config (as render --out wrote it). */
  vagrantfile?: string;
}

/** Config checks, then the Vagrantfile on disk: current, and accepted by `vagrant validate` when vagrant is there. */
export async function validateCommand(io: Io, args: ValidateArgs): Promise<number> {
  // 1. The config: loading it checks every field.
  const loaded = await loadForCommand(io, args);
  const { lab } = loaded;
  io.out(`config ok: ${shownPath(io, loaded.file)} (${lab.machines.length} machines, provider ${lab.provider})`);
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
    } else if (error instanceof VagrantFailedError && providerMissing(lab.provider, error.stderr)) {
      await validateWithoutProvider(io, lab.provider, vagrantfile.shown, options, providerMissing(lab.provider, error.stderr)!);
    } else {
      if (outOfDate) io.err(`note: ${outOfDate.message}; ${outOfDate.hint}`);
      throw error;
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
  missing: { reason: string; fix: string },
): Promise<void> {
  io.err(`the ${provider} block cannot be checked here: ${missing.reason}`);
  const { stdout } = await executeVagrant(["validate", "--ignore-provider"], options);
  io.out(`vagrant validate ${shown}: ${lastLine(stdout)} (all but the ${provider} provider block)`);
  io.err(`the config itself is fine: it rendered, and Vagrant parsed the Vagrantfile and validated the rest of it`);
  io.err(`hint: ${missing.fix}`);
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() || "ok";
}
