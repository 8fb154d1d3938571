// `vagrant validate` on a rendered lab, for the lab's provider, and what its failures mean.
import type { Provider } from "../config/types.js";
import { executeVagrant, vagrantVersion, type VagrantOptions } from "./execute.js";

/** Runs Vagrant's own checks of the Vagrantfile in `cwd`, provider block included. */
export async function validateWithVagrant(provider: Provider, options: VagrantOptions): Promise<string> {
  await vagrantVersion(options);
  const env = { VAGRANT_DEFAULT_PROVIDER: provider, ...options.env };
  const { stdout } = await executeVagrant(["validate"], { ...options, env });
  return stdout.trim();
}

// Vagrant's words when the provider a machine asks for cannot run here (hashicorp/vagrant
// templates/locales/en.yml): `provider_not_usable` (Vagrant::Errors::ProviderNotUsable, the
// provider's own reason below it) and `provider_not_found` (Vagrant::Errors::ProviderNotFound,
// a provider plugin that is not installed, as vagrant-libvirt).
const PROVIDER_NOT_USABLE = /is reporting that it isn't usable on this system\.\s+The\s+reason is shown below:\s*([\s\S]*)$/;
const PROVIDER_NOT_FOUND = /The provider '[^']+' could not be found, but was requested to\s+back the machine/;
// `virtualbox_not_detected` (Vagrant::Errors::VirtualBoxNotDetected): VBoxManage is not on PATH.
const VIRTUALBOX_NOT_DETECTED = /Vagrant could not detect VirtualBox!/;

/** Why the provider cannot run here, in our words, and the fix. */
export interface ProviderMissing {
  reason: string;
  fix: string;
}

/** Why Vagrant could not check the provider block, from its error text; undefined for any other failure. */
export function providerMissing(provider: Provider, said: string): ProviderMissing | undefined {
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

// Vagrant asks the host whether it serves NFS for every NFS folder, and for a folder without
// a type while it picks one (plugins/synced_folders/nfs/synced_folder.rb usable?, the host
// capability nfs_installed, plugins/hosts/linux/cap/nfs.rb: systemd's nfs-server unit, or
// without systemd `modinfo nfsd`), in `vagrant validate` too. Its words (templates/locales/en.yml):
// `nfs_not_supported`, and `command_unavailable` when modinfo itself is missing.
const NFS_NOT_SUPPORTED = /It appears your machine doesn't support NFS/;
const MODINFO_UNAVAILABLE = /The executable 'modinfo' Vagrant is trying to run was not\s+found/;

/** The fix when Vagrant refused the Vagrantfile because this host serves no NFS; undefined for any other failure. */
export function nfsHostMissing(said: string): string | undefined {
  if (!NFS_NOT_SUPPORTED.test(said) && !MODINFO_UNAVAILABLE.test(said)) return undefined;
  return "the lab's NFS synced folders (type nfs, or on libvirt a folder without a type) need an NFS server on this host: install it (Debian, Ubuntu: apt-get install nfs-kernel-server; on a host without systemd Vagrant also runs modinfo, from kmod), or give the folders type rsync";
}
