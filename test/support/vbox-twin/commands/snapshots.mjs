// `snapshot VM take|restore|restorecurrent|delete|list|showvminfo` (VBoxManageSnapshot.cpp).
// A snapshot of a running VM keeps its memory (QEMU savevm, so a restore resumes without a
// boot, as VirtualBox's online snapshots do); one of a stopped VM keeps its disks
// (qemu-img snapshot). Snapshots form a tree: each new one is a child of the current one.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { monitorCommand } from "../qemu.mjs";
import { newUuid, requireVm, saveVm, VBoxError, vmDir } from "../state.mjs";

const PROGRESS = "0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n";
const running = (vm) => ["running", "paused"].includes(vm.state);
const monitorOf = (vm) => path.join(vmDir(vm.uuid), "monitor.sock");

function findSnapshot(vm, nameOrUuid) {
  const snap = vm.snapshots.find((s) => s.uuid === nameOrUuid || s.name === nameOrUuid);
  if (!snap) {
    throw new VBoxError(
      `VBoxManage: error: Could not find a snapshot named '${nameOrUuid}'\nVBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component SnapshotMachineWrap, interface IMachine, callee nsISupports`,
    );
  }
  return snap;
}

function diskSnapshot(vm, flag, tag) {
  for (const disk of vm.disks) execFileSync("qemu-img", ["snapshot", flag, tag, disk.file], { stdio: "ignore" });
}

async function take(vm, name, options) {
  const snap = { uuid: newUuid(), name, parent: vm.currentSnapshot, description: options.description ?? "", taken: new Date().toISOString(), online: running(vm) };
  if (snap.online) {
    const said = await monitorCommand(monitorOf(vm), `savevm ${snap.uuid}`, 600_000);
    if (/error/i.test(said)) throw new VBoxError(`VBoxManage: error: Snapshot operation failed\ntwin: savevm: ${said}`);
  } else {
    diskSnapshot(vm, "-c", snap.uuid);
  }
  vm.snapshots.push(snap);
  vm.currentSnapshot = snap.uuid;
  saveVm(vm);
  process.stderr.write(PROGRESS);
  return `Snapshot taken. UUID: ${snap.uuid}\n`;
}

function restore(vm, snap) {
  if (running(vm)) {
    throw new VBoxError(`VBoxManage: error: Cannot restore a snapshot of a running VM (machine '${vm.name}' is ${vm.state})\nVBoxManage: error: Details: code VBOX_E_INVALID_VM_STATE (0x80bb0002), component SessionMachine, interface IMachine`);
  }
  if (snap.online) {
    // The memory comes back with the disks when the VM is next started (-loadvm).
    vm.state = "saved";
    vm.savedState = snap.uuid;
  } else {
    diskSnapshot(vm, "-a", snap.uuid);
    vm.state = "poweroff";
    vm.savedState = undefined;
  }
  vm.currentSnapshot = snap.uuid;
  vm.stateChanged = new Date().toISOString();
  saveVm(vm);
  process.stderr.write(`Restoring snapshot '${snap.name}' (${snap.uuid})\n${PROGRESS}`);
  return "";
}

async function remove(vm, snap) {
  if (running(vm)) {
    const said = await monitorCommand(monitorOf(vm), `delvm ${snap.uuid}`, 300_000);
    if (/error/i.test(said)) throw new VBoxError(`VBoxManage: error: Snapshot operation failed\ntwin: delvm: ${said}`);
  } else {
    diskSnapshot(vm, "-d", snap.uuid);
  }
  // Children move up to the deleted snapshot's parent, as VirtualBox merges them.
  for (const child of vm.snapshots.filter((s) => s.parent === snap.uuid)) child.parent = snap.parent;
  vm.snapshots = vm.snapshots.filter((s) => s !== snap);
  if (vm.currentSnapshot === snap.uuid) vm.currentSnapshot = snap.parent;
  if (vm.savedState === snap.uuid) {
    vm.savedState = undefined;
    vm.state = "poweroff";
  }
  saveVm(vm);
  process.stderr.write(`Deleting snapshot '${snap.name}' (${snap.uuid})\n${PROGRESS}`);
  return "";
}

/** Depth-first, parents before children, with VirtualBox's node names: SnapshotName, SnapshotName-1, SnapshotName-1-1... */
function walk(vm) {
  const rows = [];
  const visit = (snap, key, depth) => {
    rows.push({ snap, key, depth });
    vm.snapshots.filter((s) => s.parent === snap.uuid).forEach((child, i) => visit(child, `${key}-${i + 1}`, depth + 1));
  };
  vm.snapshots.filter((s) => s.parent === undefined).forEach((root, i) => visit(root, i === 0 ? "SnapshotName" : `SnapshotName-${i}`, 0));
  return rows;
}

function list(vm, machineReadable) {
  if (!vm.snapshots.length) throw new VBoxError("This machine does not have any snapshots", 1);
  const rows = walk(vm);
  if (machineReadable) {
    const lines = rows.flatMap(({ snap, key }) => [`${key}="${snap.name}"`, `${key.replace("SnapshotName", "SnapshotUUID")}="${snap.uuid}"`]);
    const current = rows.find((r) => r.snap.uuid === vm.currentSnapshot);
    if (current) lines.push(`CurrentSnapshotName="${current.snap.name}"`, `CurrentSnapshotUUID="${current.snap.uuid}"`, `CurrentSnapshotNode="${current.key}"`);
    return `${lines.join("\n")}\n`;
  }
  return rows.map(({ snap, depth }) => `${"   ".repeat(depth + 1)}Name: ${snap.name} (UUID: ${snap.uuid})${snap.uuid === vm.currentSnapshot ? " *" : ""}\n`).join("");
}

export async function snapshot(args) {
  const [target, sub, ...rest] = args;
  const vm = requireVm(target);
  const valueAfter = (flag) => (rest.includes(flag) ? rest[rest.indexOf(flag) + 1] : undefined);
  switch (sub) {
    case "take":
      return take(vm, rest[0], { description: valueAfter("--description") });
    case "restore":
      return restore(vm, findSnapshot(vm, rest[0]));
    case "restorecurrent":
      if (!vm.currentSnapshot) throw new VBoxError("VBoxManage: error: This machine does not have any snapshots");
      return restore(vm, findSnapshot(vm, vm.currentSnapshot));
    case "delete":
      return remove(vm, findSnapshot(vm, rest[0]));
    case "list":
      return list(vm, rest.includes("--machinereadable"));
    case "showvminfo": {
      const snap = findSnapshot(vm, rest[0]);
      return `Name:            ${snap.name}\nUUID:            ${snap.uuid}\nDescription:     ${snap.description}\n`;
    }
    case "edit": {
      const snap = findSnapshot(vm, rest[0]);
      const name = valueAfter("--name");
      if (name) snap.name = name;
      const description = valueAfter("--description");
      if (description !== undefined) snap.description = description;
      saveVm(vm);
      return "";
    }
    default:
      throw new VBoxError(`VBoxManage: error: twin: snapshot ${sub} is not played by the twin`);
  }
}
