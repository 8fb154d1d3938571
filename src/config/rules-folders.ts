// Rules of what a machine shares and how it is reached: synced folders, SSH settings,
// `vagrant up`'s autostart and primary machine, the box version and the lab's Vagrant
// plugins. Each problem names its field and the fix; Vagrant's own refusals come first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Problem } from "../errors.js";
import type { Lab, Machine, SyncedFolder } from "./types.js";
import {
  badVersionParts,
  FOLDER_OPTION_TYPES,
  FOLDER_TYPE_PROVIDER,
  folderHas,
  folderTypeOn,
  guestKey,
  isGemName,
  optionBelongs,
  type FolderOption,
} from "./synced-folders.js";

const OPTIONS = Object.keys(FOLDER_OPTION_TYPES) as FolderOption[];
/** The host's platform (a variable so tests can stand in another host). */
let platform: NodeJS.Platform = process.platform;
/** Tests: check as on another host platform; returns the previous one. */
export function setHostPlatformForTests(next: NodeJS.Platform): NodeJS.Platform {
  const previous = platform;
  platform = next;
  return previous;
}

/** Every rule of synced folders, SSH, autostart/primary, box versions and plugins; `labDir` is where relative host paths start. */
export function checkFoldersAndSsh(lab: Lab, labDir: string, errors: Problem[], warnings: Problem[]): void {
  const seen = new Set<string>(); // a lab folder is every machine's: checked once
  lab.machines.forEach((machine) => {
    const at = machine.path;
    for (const folder of machine.syncedFolders) {
      if (seen.has(folder.path)) continue;
      seen.add(folder.path);
      checkFolder(lab, folder, labDir, errors, warnings);
    }
    checkGuestPaths(machine, errors);
    checkSsh(machine, at, labDir, warnings);
    checkBoxVersion(machine, at, errors);
  });
  checkPlugins(lab, errors, warnings);
}

/** A path on the host as Vagrant reads it: `~` is the home folder, the rest relative to the Vagrantfile's folder. */
function onHost(file: string, labDir: string): string {
  if (file === "~" || file.startsWith("~/")) return path.join(os.homedir(), file.slice(1));
  return path.resolve(labDir, file);
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function checkFolder(lab: Lab, folder: SyncedFolder, labDir: string, errors: Problem[], warnings: Problem[]): void {
  const at = folder.path;
  const owner = folder.type ? FOLDER_TYPE_PROVIDER[folder.type] : undefined;
  if (owner && owner !== lab.provider) {
    errors.push({
      path: `${at}.type`,
      message: `"${folder.type}" folders exist on ${owner} only, and this lab renders for ${lab.provider}`,
      fix:
        lab.provider === "virtualbox"
          ? 'use "virtualbox" (or nfs, rsync) on VirtualBox, or leave type out for the provider\'s default; or render for libvirt (--provider libvirt)'
          : 'use "virtiofs", "9p", "nfs" or "rsync" on libvirt, or leave type out; or render for VirtualBox (--provider virtualbox)',
    });
  }
  // Vagrant refuses a relative guest path but for Windows guests' `C:`-style ones (kernel_v2/config/vm.rb validate).
  if (!folder.guest.startsWith("/") && !/^\w+:/.test(folder.guest)) {
    errors.push({ path: `${at}.guest`, message: `"${folder.guest}" is not an absolute path in the guest`, fix: `start it with /, e.g. "/${folder.guest.replace(/^\.?\/*/, "") || "data"}"` });
  } else if (guestKey(folder.guest) === "") {
    errors.push({ path: `${at}.guest`, message: "is the guest's root folder", fix: 'share into a folder of its own, e.g. "/data"' });
  }
  if (!folder.host.trim()) {
    errors.push({ path: `${at}.host`, message: "is empty", fix: 'name a folder, relative to the lab folder ("." is the lab folder itself)' });
  } else if (!folder.disabled && !folder.create && !isDirectory(onHost(folder.host, labDir))) {
    // Vagrant's validate: `shared_folder_hostpath_missing` unless `create` (kernel_v2/config/vm.rb).
    warnings.push({
      path: `${at}.host`,
      message: `"${folder.host}" is not a folder (looked for ${onHost(folder.host, labDir)}); vagrant will refuse to start`,
      fix: "create the folder, or set create: true so Vagrant makes it",
    });
  }
  const type = folderTypeOn(lab.provider, folder);
  checkShellWords(folder, type, errors);
  for (const option of OPTIONS) {
    if (!folderHas(folder, option) || optionBelongs(type, option)) continue;
    const readers = FOLDER_OPTION_TYPES[option].map((t) => `"${t}"`).join(", ");
    warnings.push({
      path: `${at}.${option}`,
      message: `is not read by ${type ? `"${type}"` : "a folder without a type"} folders (only by ${readers}); it is left out of the Vagrantfile`,
      fix: option === "owner" || option === "group" ? (type === "nfs" ? "NFS keeps the host's owners: remove it, or use another type" : "remove it, or pick a type that reads it") : "remove it, or pick a type that reads it",
    });
  }
  // guests/linux/cap/nfs.rb mounts with `vers=<nfs_version>`: NFS has versions 2, 3 and 4.
  if (folder.nfsVersion !== undefined && (folder.nfsVersion < 2 || folder.nfsVersion > 4)) {
    errors.push({ path: `${at}.nfsVersion`, message: `${folder.nfsVersion} is not an NFS version`, fix: "use 2, 3 or 4 (Vagrant's default: 3)" });
  }
  // smb/synced_folder.rb usable?: only hosts with the smb_installed capability (hosts/windows, hosts/darwin).
  if (type === "smb" && !folder.disabled && platform !== "win32" && platform !== "darwin") {
    warnings.push({ path: `${at}.type`, message: "smb folders need a Windows or macOS host, and Vagrant refuses them on this one", fix: 'use "nfs" or "rsync" on Linux hosts' });
  }
  // Vagrant warns at `vagrant up` that NFSv4 has no UDP (nfs/synced_folder.rb prepare_folder `v4_with_udp_warning`).
  if (type === "nfs" && folder.nfsUdp === true && folder.nfsVersion === 4) {
    warnings.push({ path: `${at}.nfsUdp`, message: "NFS version 4 runs over TCP only", fix: "remove nfsUdp (Vagrant's default is UDP only for versions 2 and 3)" });
  }
}

/** Characters that mean the same to a shell unquoted: what a mount option, a user name or a path may hold. */
const SHELL_SAFE = /^[A-Za-z0-9_.,:=+@%/-]+$/;
/** A user or group as `id -u` / `getent group` take it: a name or a number. */
const ACCOUNT = /^([a-z_][a-z0-9_.-]*\$?|[0-9]+)$/i;

/**
 * Values the guest's shell reads unquoted: mount options (guests/linux/cap/nfs.rb and the
 * virtualbox and smb mounts join them into `mount -o ...`; vagrant-libvirt's cap/mount_9p.rb
 * and cap/mount_virtiofs.rb append `mount_opts`), owner and group (unix_mount_helpers.rb
 * `id -u #{owner}`), and 9p/virtiofs guest paths (`mkdir -p #{expanded_guest_path}`, unescaped,
 * where Vagrant's own mounts use Shellwords.escape).
 */
function checkShellWords(folder: SyncedFolder, type: SyncedFolder["type"], errors: Problem[]): void {
  const at = folder.path;
  folder.mountOptions.forEach((option, i) => {
    if (!SHELL_SAFE.test(option)) {
      errors.push({ path: `${at}.mountOptions[${i}]`, message: `${JSON.stringify(option)} is not a mount option (the guest's shell reads it unquoted)`, fix: 'one option per entry, of letters, digits and _ . , : = + @ % / -, e.g. "uid=1000"' });
    }
  });
  for (const key of ["owner", "group"] as const) {
    const value = folder[key];
    if (value !== undefined && !ACCOUNT.test(value)) {
      errors.push({ path: `${at}.${key}`, message: `${JSON.stringify(value)} is not a user or group name or number`, fix: 'a name such as "www-data", or a number such as "1000"' });
    }
  }
  if ((type === "9p" || type === "virtiofs") && folder.guest.startsWith("/") && !SHELL_SAFE.test(folder.guest)) {
    errors.push({ path: `${at}.guest`, message: `${JSON.stringify(folder.guest)}: vagrant-libvirt passes ${type} guest paths to the guest's shell unquoted`, fix: "use letters, digits and _ . , : = + @ % / - in the path" });
  }
}

/** Two folders at one guest path: Vagrant keeps one entry per guest path, merging the later into the earlier. */
function checkGuestPaths(machine: Machine, errors: Problem[]): void {
  const first = new Map<string, SyncedFolder>();
  for (const folder of machine.syncedFolders) {
    const key = guestKey(folder.guest);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, folder);
      continue;
    }
    // A machine's own disabled entry turns off a lab folder: that is what `disabled` is for.
    if (folder.disabled || earlier.disabled) continue;
    errors.push({
      path: `${folder.path}.guest`,
      message: `"${folder.guest}" is already the guest path of ${earlier.path}${earlier.path.startsWith("syncedFolders") ? ", shared with every machine" : ""}`,
      fix: "give each folder its own guest path, or disable the other one on this machine (disabled: true)",
    });
  }
}

function checkSsh(machine: Machine, at: string, labDir: string, warnings: Problem[]): void {
  const { ssh } = machine;
  if (ssh.password !== undefined) {
    warnings.push({
      path: `${at}.ssh.password`,
      message: "is written in clear into the Vagrantfile",
      fix: "prefer a key (ssh.privateKeyPath), or keep the Vagrantfile out of version control",
    });
    // machine.rb ssh_info: the configured keys are used only when no password is set.
    if (ssh.privateKeyPath?.length) {
      warnings.push({
        path: `${at}.ssh.privateKeyPath`,
        message: "is not used: with a password set, Vagrant logs in with the password alone",
        fix: "set one of password and privateKeyPath",
      });
    }
  }
  (ssh.privateKeyPath ?? []).forEach((key, i) => {
    // kernel_v2/config/ssh_connect.rb validate: `private_key_missing`, the path expanded from the Vagrantfile's folder.
    if (!isFile(onHost(key, labDir))) {
      warnings.push({ path: `${at}.ssh.privateKeyPath[${i}]`, message: `"${key}" is not a file (looked for ${onHost(key, labDir)}); vagrant will refuse to start`, fix: "give the private key's path, relative to the lab folder or absolute" });
    }
  });
  if (ssh.username !== undefined && !ssh.username.trim()) {
    warnings.push({ path: `${at}.ssh.username`, message: "is empty", fix: "name the user, or remove it for the box's (usually vagrant)" });
  }
}

function checkBoxVersion(machine: Machine, at: string, errors: Problem[]): void {
  if (machine.boxVersion === undefined) return;
  const bad = badVersionParts(machine.boxVersion);
  if (!bad.length) return;
  errors.push({
    path: `${at}.boxVersion`,
    message: `${bad.map((part) => `"${part.trim()}"`).join(", ")} ${bad.length > 1 ? "are not version constraints" : "is not a version constraint"}`,
    fix: 'write versions with an optional operator (=, !=, >, <, >=, <=, ~>), comma-separated: "1.2.3", ">= 1.0, < 2.0", "~> 1.0"',
  });
}

function checkPlugins(lab: Lab, errors: Problem[], warnings: Problem[]): void {
  const seen = new Set<string>();
  lab.vagrantPlugins.forEach((name, i) => {
    if (!isGemName(name)) {
      errors.push({
        path: `vagrantPlugins[${i}]`,
        message: `"${name}" is not a plugin (gem) name`,
        fix: 'use letters, digits, ".", "-" and "_", starting with a letter or digit, e.g. "vagrant-libvirt"',
      });
    } else if (seen.has(name)) {
      warnings.push({ path: `vagrantPlugins[${i}]`, message: `"${name}" is listed twice`, fix: "list each plugin once" });
    }
    seen.add(name);
  });
}
