// The VM registry's commands: list vms/runningvms/systemproperties/hdds, showvminfo,
// import (with --dry-run), modifyvm, unregistervm, and the small ones Vagrant calls
// (setextradata, getextradata, guestproperty, sharedfolder, discardstate).
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { readOvf } from "../ovf.mjs";
import { deleteVmFiles, findVm, listVms, newUuid, requireVm, saveVm, VBoxError, vmDir } from "../state.mjs";
import { humanInfo, machineFolder, machineReadableInfo, MAX_ADAPTERS, vmFromOvf } from "../vm.mjs";
import { stopVm } from "../power.mjs";

export function listVmsText({ running = false } = {}) {
  return listVms()
    .filter((vm) => !running || ["running", "paused"].includes(vm.state))
    .map((vm) => `"${vm.name}" {${vm.uuid}}\n`)
    .join("");
}

export function systemProperties(version) {
  return [
    `API version:                     ${version.replace(".", "_")}`,
    `Minimum guest RAM size:          4 Megabytes`,
    `Maximum guest RAM size:          2097152 Megabytes`,
    `Maximum guest CPU count:         64`,
    `Default machine folder:          ${machineFolder()}`,
    `Default hard disk format:        VDI`,
    "",
  ].join("\n");
}

export function listHdds() {
  return listVms()
    .flatMap((vm) => vm.disks.map((disk) => [`UUID:           ${disk.uuid}`, `Parent UUID:    base`, `State:          created`, `Type:           normal (base)`, `Location:       ${disk.location}`, `Storage format: VMDK`, `Capacity:       ${Math.round(disk.capacity / 2 ** 20)} MBytes`, `Encryption:     disabled`, ""].join("\n")))
    .join("\n");
}

export function showVmInfo(args, version) {
  const vm = requireVm(args[0]);
  if (args.includes("--machinereadable")) return machineReadableInfo(vm, version);
  return humanInfo(vm);
}

/** `import OVF [-n|--dry-run] [--vsys 0 --vmname N] [--vsys 0 --unit U --disk PATH]`. */
export function importAppliance(args, version) {
  const file = args.find((a, i) => !a.startsWith("-") && !["--vsys", "--vmname", "--unit", "--disk", "--cpus", "--memory", "--ostype"].includes(args[i - 1]));
  const ovf = readOvf(file);
  const valueAfter = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const name = valueAfter("--vmname") ?? ovf.name;
  const folder = path.join(machineFolder(), name);
  const firstDiskUnit = 9;
  const targets = ovf.disks.map((disk, i) => {
    const unit = firstDiskUnit + i;
    const given = args.findIndex((a, j) => a === "--unit" && args[j + 1] === String(unit) && args[j + 2] === "--disk");
    return { ...disk, unit, target: given >= 0 ? args[given + 3] : path.join(folder, disk.href) };
  });
  const dryRun = args.includes("-n") || args.includes("--dry-run");
  const out = [`Interpreting ${ovf.file}...`, "OK.", ...dryRunLines(ovf, name, folder, targets)];
  if (dryRun) return `${out.join("\n")}\n`;
  if (findVm(name)) throw new VBoxError(`VBoxManage: error: Machine settings file '${path.join(folder, `${name}.vbox`)}' already exists\nVBoxManage: error: Details: code VBOX_E_FILE_ERROR (0x80bb0004), component MachineWrap, interface IMachine`);
  const disks = targets.map((disk) => {
    fs.mkdirSync(path.dirname(disk.target), { recursive: true });
    // VirtualBox copies the image to the target; the twin keeps it as qcow2 beside that
    // path, the format QEMU snapshots (savevm) need.
    const qcow2 = `${disk.target}.qcow2`;
    execFileSync("qemu-img", ["convert", "-O", "qcow2", path.resolve(path.dirname(ovf.file), disk.href), qcow2], { stdio: "ignore" });
    return { uuid: newUuid(), location: disk.target, file: qcow2, capacity: disk.capacity };
  });
  const vm = vmFromOvf(ovf, { name, disks });
  fs.mkdirSync(path.join(vm.folder, "Logs"), { recursive: true });
  saveVm(vm);
  process.stderr.write("0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n");
  out.push(`Successfully imported the appliance.`);
  return `${out.join("\n")}\n`;
}

function dryRunLines(ovf, name, folder, disks) {
  const lines = [
    "Disks:",
    ...ovf.disks.map((d) => `  ${d.id}\t${d.capacity}\t-1\t${d.format}\t${d.href}\t-1\t-1\t`),
    "",
    "Virtual system 0:",
    ` 0: Suggested OS type: "${ovf.ostype}"`,
    `    (change with "--vsys 0 --ostype <type>"; use "list ostypes" to list all possible values)`,
    ` 1: Suggested VM name "${name}"`,
    `    (change with "--vsys 0 --vmname <name>")`,
    ` 2: Suggested VM group "/"`,
    `    (change with "--vsys 0 --group <group>")`,
    ` 3: Suggested VM settings file name "${path.join(folder, `${name}.vbox`)}"`,
    `    (change with "--vsys 0 --settingsfile <filename>")`,
    ` 4: Suggested VM base folder "${machineFolder()}"`,
    `    (change with "--vsys 0 --basefolder <path>")`,
    ` 5: Number of CPUs: ${ovf.cpus}`,
    `    (change with "--vsys 0 --cpus <n>")`,
    ` 6: Guest memory: ${ovf.memory} MB`,
    `    (change with "--vsys 0 --memory <MB>")`,
    ` 7: Network adapter: orig NAT, config 3, extra slot=0;type=NAT`,
    ` 8: ${ovf.controller.label}`,
    `    (disable with "--vsys 0 --unit 8 --ignore")`,
  ];
  for (const disk of disks) {
    lines.push(
      `${String(disk.unit).padStart(2)}: Hard disk image: source image=${disk.href}, target path=${disk.target}, controller=8;channel=0`,
      `    (change target path with "--vsys 0 --unit ${disk.unit} --disk path";`,
      `    disable with "--vsys 0 --unit ${disk.unit} --ignore")`,
    );
  }
  return lines;
}

// Option keys without dashes or case, so 6.1's `--nictype2` and 7.x's `--nic-type2` meet.
const INDEXED = ["nic", "nictype", "cableconnected", "nicpromisc", "natpf", "natnet", "macaddress", "hostonlyadapter", "hostonlynet", "bridgeadapter", "intnet", "natnetwork", "nicgenericdrv", "nicproperty", "natlocalhostreachable", "natdnshostresolver", "natdnsproxy", "nictrace", "nictracefile", "nicspeed", "nicbootprio", "natsettings", "natalias", "natbindip", "nattftpprefix", "nattftpfile", "nattftpserver", "natdnspassdomain", "nicbandwidthgroup"];

/** `--nic-type2` -> { key: "nictype", index: 2 }; `--cpus` -> { key: "cpus" }. */
export function optionKey(flag) {
  const bare = flag.replace(/^--?/, "").replace(/-/g, "").toLowerCase();
  const m = bare.match(/^([a-z]+?)(\d+)$/);
  if (m && INDEXED.includes(m[1])) return { key: m[1], index: Number(m[2]) };
  return { key: bare };
}

/** Splits modifyvm's arguments into options: every option takes one value, `--natpfN delete NAME` two. */
export function modifyvmOptions(args) {
  const options = [];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const { key, index } = optionKey(flag);
    if (key === "natpf" && args[i + 1] === "delete") {
      options.push({ flag, key, index, value: "delete", name: args[i + 2] });
      i += 2;
    } else {
      options.push({ flag, key, index, value: args[i + 1] });
      i += 1;
    }
  }
  return options;
}

const NIC_ATTACHMENT = { hostonlyadapter: "hostonlyadapter", hostonlynet: "hostonlynet", bridgeadapter: "bridgeadapter", intnet: "intnet", natnetwork: "natnetwork", nicgenericdrv: "genericdrv", natnet: "natnet" };

/** modifyvm on a VM that is not running: the settings the twin boots with. */
export function modifyVm(args) {
  const vm = requireVm(args[0]);
  if (["running", "paused"].includes(vm.state)) {
    throw new VBoxError(
      `VBoxManage: error: The machine '${vm.name}' is already locked for a session (or being unlocked)\nVBoxManage: error: Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component MachineWrap, interface IMachine, callee nsISupports`,
    );
  }
  for (const option of modifyvmOptions(args.slice(1))) applyOption(vm, option);
  saveVm(vm);
  return "";
}

function applyOption(vm, { flag, key, index, value, name }) {
  const nic = index !== undefined ? vm.nics[index] : undefined;
  if (index !== undefined && !nic) throw new VBoxError(`VBoxManage: error: Invalid NIC number ${index}`, 2);
  switch (key) {
    case "nic":
      nic.type = value === "hostonlynetwork" ? "hostonlynet" : value;
      return;
    case "nictype":
      nic.nictype = value;
      return;
    case "cableconnected":
      nic.cable = value === "on";
      return;
    case "nicpromisc":
      nic.promisc = value;
      return;
    case "macaddress":
      nic.mac = value === "auto" ? vm.nics[index].mac : value.toUpperCase();
      return;
    case "nicproperty": {
      const [k, ...v] = value.split("=");
      nic.properties[k] = v.join("=");
      return;
    }
    case "natpf":
      if (value === "delete") {
        nic.natpf = nic.natpf.filter((rule) => rule.name !== name);
        return;
      }
      return addForward(vm, nic, index, value);
    case "natlocalhostreachable":
      nic.localhostReachable = value === "on";
      return;
    case "nictrace":
      nic.trace = value === "on";
      return;
    case "nictracefile":
      nic.traceFile = value;
      return;
    case "cpus":
      vm.cpus = Number(value);
      return;
    case "memory":
      vm.memory = Number(value);
      return;
    case "name":
      return renameVm(vm, value);
    case "nestedhwvirt":
      vm.settings["nested-hw-virt"] = value;
      return;
    case "ioapic":
    case "hwvirtex":
    case "nestedpaging":
    case "vtxux":
    case "vtxvpid":
    case "largepages":
    case "paravirtprovider":
    case "rtcuseutc":
    case "chipset":
    case "firmware":
      vm.settings[key] = value;
      return;
    default:
      if (NIC_ATTACHMENT[key]) {
        nic[NIC_ATTACHMENT[key]] = value;
        return;
      }
      vm.other[flag] = name === undefined ? value : [value, name];
  }
}

function addForward(vm, nic, index, rule) {
  const [fname, proto, hostip, hostport, guestip, guestport] = rule.split(",");
  if (nic.natpf.some((r) => r.name === fname) || nic.natpf.some((r) => r.proto === proto && r.hostport === hostport && r.hostip === hostip)) {
    throw new VBoxError(`VBoxManage: error: A NAT rule of this name already exists\nVBoxManage: error: Details: code NS_ERROR_INVALID_ARG (0x80070057), component NATEngineWrap, interface INATEngine`);
  }
  nic.natpf.push({ name: fname, proto, hostip, hostport, guestip, guestport });
  vm.nics[index] = nic;
}

function renameVm(vm, name) {
  if (listVms().some((other) => other.name === name && other.uuid !== vm.uuid)) {
    throw new VBoxError(`VBoxManage: error: Could not rename the directory '${vm.folder}' to '${path.join(machineFolder(), name)}' to save the settings file (VERR_ALREADY_EXISTS)`);
  }
  vm.name = name;
}

/** `unregistervm VM [--delete]`: the VM powered off first by the caller's rules, its files gone with --delete. */
export async function unregisterVm(args) {
  const vm = requireVm(args[0]);
  if (["running", "paused"].includes(vm.state)) {
    throw new VBoxError(`VBoxManage: error: Cannot unregister the machine '${vm.name}' while it is locked\nVBoxManage: error: Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component MachineWrap, interface IMachine`);
  }
  await stopVm(vm, { quiet: true });
  if (args.includes("--delete") || args.includes("--delete-all")) {
    for (const disk of vm.disks) fs.rmSync(disk.file, { force: true });
    fs.rmSync(vm.folder, { recursive: true, force: true });
  }
  deleteVmFiles(vm.uuid);
  return "";
}

export function setExtraData(args) {
  const [target, key, value] = args;
  if (target === "global") return "";
  const vm = requireVm(target);
  if (value === undefined) delete vm.extradata[key];
  else vm.extradata[key] = value;
  saveVm(vm);
  return "";
}

export function getExtraData(args) {
  const [target, key] = args;
  const data = target === "global" ? {} : requireVm(target).extradata;
  if (key === "enumerate") return Object.entries(data).map(([k, v]) => `Key: ${k}, Value: ${v}\n`).join("");
  return key in data ? `Value: ${data[key]}\n` : "No value set!\n";
}

/** Guest properties come from Guest Additions, which the twin's guests do not run: none are set. */
export function guestProperty(args) {
  const [sub, target, property, value] = args;
  const vm = requireVm(target);
  if (sub === "get") return property in vm.guestproperties ? `Value: ${vm.guestproperties[property]}\n` : "No value set!\n";
  if (sub === "set") {
    if (value === undefined) delete vm.guestproperties[property];
    else vm.guestproperties[property] = value;
    saveVm(vm);
    return "";
  }
  if (sub === "enumerate") return Object.entries(vm.guestproperties).map(([k, v]) => `Name: ${k}, value: ${v}, timestamp: 0, flags: \n`).join("");
  if (sub === "delete" || sub === "unset") {
    delete vm.guestproperties[property];
    saveVm(vm);
  }
  return "";
}

export function sharedFolder(args) {
  const [sub, target, ...rest] = args;
  const vm = requireVm(target);
  const valueAfter = (flag) => rest[rest.indexOf(flag) + 1];
  const name = valueAfter("--name");
  if (sub === "add") {
    if (vm.sharedFolders.some((f) => f.name === name)) throw new VBoxError(`VBoxManage: error: Shared folder named '${name}' already exists\nVBoxManage: error: Details: code VBOX_E_OBJECT_IN_USE (0x80bb000c)`);
    vm.sharedFolders.push({ name, hostpath: valueAfter("--hostpath"), transient: rest.includes("--transient") });
  } else if (sub === "remove") {
    if (!vm.sharedFolders.some((f) => f.name === name)) throw new VBoxError(`VBoxManage: error: Could not find a shared folder named '${name}'.\nVBoxManage: error: Details: code VBOX_E_FILE_ERROR (0x80bb0004)`);
    vm.sharedFolders = vm.sharedFolders.filter((f) => f.name !== name);
  }
  saveVm(vm);
  return "";
}

export function discardState(args) {
  const vm = requireVm(args[0]);
  if (vm.state === "saved") {
    vm.state = "poweroff";
    vm.savedState = undefined;
    saveVm(vm);
  }
  return "";
}

export function adapterCount() {
  return MAX_ADAPTERS;
}

export { vmDir };
