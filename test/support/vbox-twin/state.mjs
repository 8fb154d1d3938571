// The twin's registry, on disk under KVMLAB_TWIN_HOME: one JSON file per VM (its settings as
// VirtualBox keeps them in the .vbox file), the host's networks (host-only interfaces, NAT
// Networks, DHCP servers, VirtualBox 7 host-only networks) in networks.json, and a lock so
// that the separate VBoxManage processes Vagrant starts never interleave their writes.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where everything of this twin lives; tests give each run its own. */
export function twinHome() {
  const home = process.env.KVMLAB_TWIN_HOME ?? path.join(os.tmpdir(), "kvm-lab-vbox-twin");
  fs.mkdirSync(path.join(home, "vms"), { recursive: true });
  return home;
}

/** The VirtualBox version and host platform this twin plays (KVMLAB_TWIN_VBOX, KVMLAB_TWIN_HOST). */
export function twinTarget() {
  const version = process.env.KVMLAB_TWIN_VBOX ?? "7.0";
  const host = process.env.KVMLAB_TWIN_HOST ?? "linux";
  if (!["6.1", "7.0", "7.1"].includes(version)) throw new Error(`KVMLAB_TWIN_VBOX must be 6.1, 7.0 or 7.1, not ${version}`);
  if (!["linux", "darwin", "windows"].includes(host)) throw new Error(`KVMLAB_TWIN_HOST must be linux, darwin or windows, not ${host}`);
  return { version, host };
}

/** Full version strings as `VBoxManage --version` prints them (a release of each line). */
export const FULL_VERSION = { "6.1": "6.1.50r161033", "7.0": "7.0.20r163906", "7.1": "7.1.4r165100" };

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Whether a process is still there. */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` holding the twin's lock (a file made with O_EXCL; a dead holder's lock is taken over). */
export async function withLock(fn) {
  const lock = path.join(twinHome(), "lock");
  for (let i = 0; ; i++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lock, "utf8") || 0);
      if (holder && !alive(holder)) fs.rmSync(lock, { force: true });
      else if (i > 1200) throw new Error(`the twin's lock ${lock} is held by process ${holder}`);
      else sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function writeJsonAtomic(file, value) {
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(partial, file);
}

const vmFile = (uuid) => path.join(twinHome(), "vms", uuid, "vm.json");

export function vmDir(uuid) {
  return path.join(twinHome(), "vms", uuid);
}

export function listVms() {
  const dir = path.join(twinHome(), "vms");
  return fs
    .readdirSync(dir)
    .filter((uuid) => fs.existsSync(vmFile(uuid)))
    .map((uuid) => JSON.parse(fs.readFileSync(vmFile(uuid), "utf8")))
    .sort((a, b) => a.created - b.created);
}

/** A VM by UUID or by name, as VBoxManage accepts either; undefined when there is none. */
export function findVm(nameOrUuid) {
  return listVms().find((vm) => vm.uuid === nameOrUuid || vm.name === nameOrUuid);
}

export function saveVm(vm) {
  fs.mkdirSync(vmDir(vm.uuid), { recursive: true });
  writeJsonAtomic(vmFile(vm.uuid), vm);
}

export function deleteVmFiles(uuid) {
  fs.rmSync(vmDir(uuid), { recursive: true, force: true });
}

export function newUuid() {
  return crypto.randomUUID();
}

/** A MAC in VirtualBox's 080027 range, as VirtualBox makes them (12 hex digits, upper case). */
export function newMac() {
  return `080027${crypto.randomBytes(3).toString("hex").toUpperCase()}`;
}

const networksFile = () => path.join(twinHome(), "networks.json");

/** The host-side networks: { hostonlyifs: [], hostonlynets: [], natnets: [], dhcpservers: [] }. */
export function readNetworks() {
  const empty = { hostonlyifs: [], hostonlynets: [], natnets: [], dhcpservers: [] };
  if (!fs.existsSync(networksFile())) return empty;
  return { ...empty, ...JSON.parse(fs.readFileSync(networksFile(), "utf8")) };
}

export function saveNetworks(networks) {
  writeJsonAtomic(networksFile(), networks);
}

/** One VirtualBox error as the real tool reports it: text on stderr, an exit code. */
export class VBoxError extends Error {
  constructor(stderr, exitCode = 1) {
    super(stderr);
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

/** VBOX_E_OBJECT_NOT_FOUND for a VM name or UUID, worded as VBoxManage words it. */
export function vmNotFound(nameOrUuid) {
  return new VBoxError(
    [
      `VBoxManage: error: Could not find a registered machine named '${nameOrUuid}'`,
      "VBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap, interface IVirtualBox, callee nsISupports",
      `VBoxManage: error: Context: "FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())" at line 2 of file VBoxManageInfo.cpp`,
    ].join("\n"),
  );
}

export function requireVm(nameOrUuid) {
  const vm = findVm(nameOrUuid);
  if (!vm) throw vmNotFound(nameOrUuid);
  return vm;
}
