// Facts of Vagrant's and vagrant-libvirt's synced folders that both the rules and the
// renderer need: which folder types a provider has, which options each type reads and how
// Vagrant spells them, and what a box version constraint may be.
import type { Provider, SyncedFolder, SyncedFolderType } from "./types.js";

/**
 * The provider a folder type belongs to; the others run on either. 9p and virtiofs are
 * vagrant-libvirt's (plugin.rb `synced_folder('9p', 4)`, `synced_folder('virtiofs', 5)`;
 * their `usable?` is false unless `machine.provider_name == :libvirt`), virtualbox is
 * VirtualBox's shared folders (plugins/providers/virtualbox/plugin.rb `synced_folder(:virtualbox)`).
 */
export const FOLDER_TYPE_PROVIDER: Partial<Record<SyncedFolderType, Provider>> = {
  "9p": "libvirt",
  virtiofs: "libvirt",
  virtualbox: "virtualbox",
};

/** The options of a folder beside host, guest, type, disabled and create. */
export type FolderOption = "owner" | "group" | "mountOptions" | "nfsVersion" | "nfsUdp" | "rsyncExclude" | "rsyncArgs" | "smbUsername" | "accessMode";

/**
 * The types that read each option (Vagrant 2.3.4 and vagrant-libvirt 0.11.2):
 * - owner, group: the virtualbox and smb mounts (plugins/synced_folders/unix_mount_helpers.rb
 *   detect_owner_group_ids) and rsync's, which chowns the copy in the guest after each sync
 *   (plugins/synced_folders/rsync/default_unix_cap.rb rsync_post; `--chown` instead with
 *   `rsync__rsync_ownership`, rsync/helper.rb rsync_single);
 *   nfs keeps the host's ids and Vagrant's validate refuses them there (kernel_v2/config/vm.rb
 *   `shared_folder_nfs_owner_group`); 9p's `:owner` is deprecated for `:access` (cap/mount_9p.rb).
 * - mountOptions: `mount_options` (an array) of virtualbox, nfs (guests/linux/cap/nfs.rb) and smb;
 *   9p and virtiofs read `mount_opts`, one string (cap/mount_9p.rb, cap/mount_virtiofs.rb).
 * - nfsVersion, nfsUdp: `nfs_version`, `nfs_udp` (plugins/synced_folders/nfs/synced_folder.rb prepare_folder).
 * - rsyncExclude, rsyncArgs: `rsync__exclude`, `rsync__args`, scoped to rsync by the `rsync__`
 *   prefix (action/builtin/mixin_synced_folders.rb synced_folders, via util/scoped_hash_override.rb;
 *   rsync/helper.rb rsync_single reads :exclude, :args).
 * - smbUsername: `smb_username` (plugins/synced_folders/smb/synced_folder.rb prepare).
 * - accessMode: 9p's `accessmode`, libvirt's <filesystem accessmode> (cap/synced_folder_9p.rb prepare).
 */
export const FOLDER_OPTION_TYPES: Record<FolderOption, readonly SyncedFolderType[]> = {
  owner: ["virtualbox", "rsync", "smb"],
  group: ["virtualbox", "rsync", "smb"],
  mountOptions: ["virtualbox", "nfs", "smb", "9p", "virtiofs"],
  nfsVersion: ["nfs"],
  nfsUdp: ["nfs"],
  rsyncExclude: ["rsync"],
  rsyncArgs: ["rsync"],
  smbUsername: ["smb"],
  accessMode: ["9p"],
};

/**
 * The type Vagrant uses for a folder without one, when it is certain: VirtualBox's shared
 * folders on VirtualBox (priority 10 over nfs, rsync 5, smb 7, which Linux hosts cannot
 * use). On libvirt it is the first usable of the priority-5 types, tried in the order Ruby's
 * unstable sort leaves them (mixin_synced_folders.rb default_synced_folder_type; Vagrant 2.3.4
 * with vagrant-libvirt 0.11.2: rsync, nfs, virtiofs, then 9p at 4), so it is left open.
 */
export function folderTypeOn(provider: Provider, folder: SyncedFolder): SyncedFolderType | undefined {
  return folder.type ?? (provider === "virtualbox" ? "virtualbox" : undefined);
}

/** Whether a folder's options that are set include `option`. */
export function folderHas(folder: SyncedFolder, option: FolderOption): boolean {
  const value = folder[option];
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

/** Whether `option` is read by the folder's type; with the type open (libvirt, none set) only accessMode is not. */
export function optionBelongs(type: SyncedFolderType | undefined, option: FolderOption): boolean {
  if (type === undefined) return option !== "accessMode";
  return FOLDER_OPTION_TYPES[option].includes(type);
}

/** A guest path as Vagrant keeps it: one trailing slash taken off (kernel_v2/config/vm.rb synced_folder `gsub(/\/$/, '')`). */
export function guestKey(guest: string): string {
  return guest.replace(/\/$/, "");
}

/**
 * A box version constraint as Vagrant checks it (kernel_v2/config/vm.rb validate: each
 * comma-separated part through Gem::Requirement.new), with RubyGems' Gem::Requirement::PATTERN:
 * an optional operator (=, !=, >, <, >=, <=, ~>) and a Gem::Version::VERSION_PATTERN version.
 * Returns the parts that are not constraints.
 */
export function badVersionParts(constraint: string): string[] {
  const parts = constraint.split(",");
  while (parts.length && parts[parts.length - 1] === "") parts.pop(); // Ruby's String#split drops trailing empty fields
  return parts.filter((part) => !GEM_REQUIREMENT.test(part));
}
// Ruby's \s is ASCII whitespace only; (?>...) in RubyGems' pattern cannot change what matches here.
const GEM_REQUIREMENT = /^[ \t\r\n\f\v]*(=|!=|>|<|>=|<=|~>)?[ \t\r\n\f\v]*([0-9]+(?:\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)[ \t\r\n\f\v]*$/;

/**
 * A gem name as RubyGems accepts one (Gem::SpecificationPolicy validate_name: letters,
 * digits, `.`, `-`, `_`, at least one letter, not starting with `.`, `-` or `_`).
 */
export function isGemName(name: string): boolean {
  return /^[a-zA-Z0-9._-]+$/.test(name) && /[a-zA-Z]/.test(name) && !/^[._-]/.test(name);
}
