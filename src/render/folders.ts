// The parts of a machine's view that say what it shares and how it is reached, for both
// providers: `config.vm.define` options, box_version, synced folders (with the shared
// memory virtiofs needs on libvirt) and `node.ssh.*`. Values stay raw: the templates print
// each through the Ruby-literal helpers.
import path from "node:path";
import type { Lab, Machine, SyncedFolder } from "../config/types.js";
import { folderHas, folderTypeOn, guestKey, optionBelongs, type FolderOption } from "../config/synced-folders.js";
import { RubySymbol } from "./ruby.js";
import type { AccessView, FolderLineView, LabAccessView, OptionPairs, ProviderCallView, ProviderSettingView } from "./view.js";

/** The top of the Vagrantfile for both providers: plugins and /vagrant. */
export function labAccessView(lab: Lab): LabAccessView {
  const project = projectFolderOf(lab);
  return {
    vagrantPlugins: lab.vagrantPlugins,
    writeProjectFolder: project === "explicit",
    vagrantPerMachine: project === "per-machine",
    vagrantFolder: labVagrantFolder(lab),
  };
}

/** A machine's define options, box version and checks, boot timeout, synced folders and SSH settings. */
export function accessView(lab: Lab, machine: Machine): AccessView {
  return {
    define: defineOptions(machine),
    boxVersion: machine.boxVersion,
    // kernel_v2/config/vm.rb: boot_timeout (finalize: 300), box_check_update (finalize: true
    // unless VAGRANT_BOX_UPDATE_CHECK_DISABLE is set).
    bootTimeout: machine.bootTimeoutSeconds,
    boxCheckUpdate: machine.boxCheckUpdate === undefined ? undefined : { value: machine.boxCheckUpdate },
    folders: folderLines(lab, machine),
    ssh: sshSettings(lab, machine),
  };
}

/**
 * `config.vm.define name, autostart: false, primary: true`: options Vagrant keeps per machine
 * (plugins/kernel_v2/config/vm.rb, VMConfig#define); only what differs from the defaults.
 * `autostart: false`: plain `vagrant up` skips the machine (plugins/commands/up/command.rb,
 * CommandUp::Command#execute); `primary: true`: the machine `vagrant ssh` picks
 * (lib/vagrant/vagrantfile.rb, Vagrantfile#primary_machine_name).
 */
export function defineOptions(machine: Machine): OptionPairs {
  const pairs: OptionPairs = [];
  if (!machine.autostart) pairs.push(["autostart", false]);
  if (machine.primary) pairs.push(["primary", true]);
  return pairs;
}

/** An option's value when the folder's type reads it, else undefined (the rules warned about it). */
function when<T>(type: SyncedFolder["type"], folder: SyncedFolder, option: FolderOption, value: T): T | undefined {
  return folderHas(folder, option) && optionBelongs(type, option) ? value : undefined;
}

/**
 * A host path of the config (relative to the lab folder) as the Vagrantfile needs it:
 * Vagrant expands host and key paths from the Vagrantfile's folder (kernel_v2/config/vm.rb
 * validate, machine.rb ssh_info), and a Vagrantfile written elsewhere (`render --out`)
 * names its config by a path (`lab.source`) whose folder is the lab folder.
 */
export function fromVagrantfile(lab: Lab, file: string): string {
  const labDir = path.posix.dirname(lab.source.split(path.sep).join("/"));
  if (labDir === "." || file.startsWith("/") || file === "~" || file.startsWith("~/") || /^[A-Za-z]:[\\/]/.test(file)) return file;
  return path.posix.join(labDir, file);
}

/**
 * One `node.vm.synced_folder host, guest, ...` line. Option names are Vagrant's (see
 * config/synced-folders.ts); 9p and virtiofs take their mount options as one string
 * (`mount_opts`, vagrant-libvirt cap/mount_9p.rb and cap/mount_virtiofs.rb).
 */
function folderLine(lab: Lab, folder: SyncedFolder): FolderLineView {
  const type = folderTypeOn(lab.provider, folder);
  const libvirtMount = type === "9p" || type === "virtiofs";
  const options: OptionPairs = [
    ["type", folder.type],
    ["disabled", folder.disabled || undefined],
    ["create", folder.create || undefined],
    ["owner", when(type, folder, "owner", folder.owner)],
    ["group", when(type, folder, "group", folder.group)],
    ["mount_options", libvirtMount ? undefined : when(type, folder, "mountOptions", folder.mountOptions)],
    ["mount_opts", libvirtMount ? when(type, folder, "mountOptions", folder.mountOptions.join(",")) : undefined],
    ["nfs_version", when(type, folder, "nfsVersion", folder.nfsVersion)],
    ["nfs_udp", when(type, folder, "nfsUdp", folder.nfsUdp)],
    ["rsync__exclude", when(type, folder, "rsyncExclude", folder.rsyncExclude)],
    ["rsync__args", when(type, folder, "rsyncArgs", folder.rsyncArgs)],
    ["smb_username", when(type, folder, "smbUsername", folder.smbUsername)],
    // vagrant-libvirt cap/synced_folder_9p.rb prepare: <filesystem accessmode=...>.
    ["accessmode", when(type, folder, "accessMode", folder.accessMode)],
  ];
  return { host: fromVagrantfile(lab, folder.host), guest: folder.guest, options: options.filter(([, value]) => value !== undefined) };
}

/** The machine's synced folders, the lab's first; a lab-wide `/vagrant` is printed at the top instead. */
export function folderLines(lab: Lab, machine: Machine): FolderLineView[] {
  const labWide = labVagrantFolder(lab) !== undefined;
  return machine.syncedFolders
    .filter((folder) => !(labWide && folder.path.startsWith("syncedFolders[") && guestKey(folder.guest) === "/vagrant"))
    .map((folder) => folderLine(lab, folder));
}

/**
 * What the top of the Vagrantfile says about /vagrant:
 * - "replaced": the lab's `syncedFolders` has a /vagrant entry, printed there in place of the default;
 * - "per-machine": every machine has a /vagrant entry of its own, so the top has none;
 * - "explicit": shared, and written out, because some folder shares "." elsewhere, and Vagrant
 *   adds its default /vagrant only when no folder has the host path "." (kernel_v2/config/vm.rb finalize!);
 * - "default": shared by Vagrant's default; "disabled": turned off.
 */
export function projectFolderOf(lab: Lab): "replaced" | "per-machine" | "explicit" | "default" | "disabled" {
  const labFolders = lab.machines[0]?.syncedFolders.filter((f) => f.path.startsWith("syncedFolders[")) ?? [];
  if (labFolders.some((f) => guestKey(f.guest) === "/vagrant")) return "replaced";
  if (lab.machines.length && lab.machines.every((m) => m.syncedFolders.some((f) => guestKey(f.guest) === "/vagrant"))) return "per-machine";
  if (!lab.syncedFolder) return "disabled";
  const dotElsewhere = lab.machines.some((m) => m.syncedFolders.some((f) => f.host === "." && guestKey(f.guest) !== "/vagrant"));
  return dotElsewhere ? "explicit" : "default";
}

/** The lab-wide /vagrant entry, printed at the top of the Vagrantfile in place of the default line. */
export function labVagrantFolder(lab: Lab): FolderLineView | undefined {
  const folder = lab.machines[0]?.syncedFolders.find((f) => f.path.startsWith("syncedFolders[") && guestKey(f.guest) === "/vagrant");
  return folder ? folderLine(lab, folder) : undefined;
}

/**
 * libvirt: virtiofs needs the guest's memory shared with virtiofsd: `<memoryBacking>` with
 * `<source type='memfd'/>` and `<access mode='shared'/>` (libvirt's kbase/virtiofs "Sharing
 * a host directory with a guest"), which vagrant-libvirt writes from `libvirt.memorybacking`
 * (config.rb memorybacking, templates/domain.xml.erb).
 */
export function virtiofsMemory(lab: Lab, machine: Machine): ProviderCallView[] {
  const virtiofs = machine.syncedFolders.some((f) => !f.disabled && f.type === "virtiofs");
  if (lab.provider !== "libvirt" || !virtiofs) return [];
  return [
    { comment: ["virtiofs shares the guest's memory with virtiofsd on the host"], method: "memorybacking", args: [new RubySymbol("source")], options: [["type", "memfd"]] },
    { method: "memorybacking", args: [new RubySymbol("access")], options: [["mode", "shared"]] },
  ];
}

/**
 * `node.ssh.*` (kernel_v2/config/ssh_connect.rb: username, password, insert_key,
 * private_key_path; ssh.rb: forward_agent). Vagrant expands private_key_path from the
 * Vagrantfile's folder (machine.rb ssh_info, ssh_connect.rb validate): see fromVagrantfile.
 */
export function sshSettings(lab: Lab, machine: Machine): ProviderSettingView[] {
  const { ssh } = machine;
  const settings: ProviderSettingView[] = [];
  if (ssh.username !== undefined) settings.push({ key: "username", value: ssh.username });
  if (ssh.password !== undefined) settings.push({ comment: ["a password, in clear: the config asks for it"], key: "password", value: ssh.password });
  if (ssh.insertKey !== undefined) settings.push({ key: "insert_key", value: ssh.insertKey });
  if (ssh.privateKeyPath?.length) settings.push({ key: "private_key_path", value: ssh.privateKeyPath.map((key) => fromVagrantfile(lab, key)) });
  if (ssh.forwardAgent !== undefined) settings.push({ key: "forward_agent", value: ssh.forwardAgent });
  return settings;
}
