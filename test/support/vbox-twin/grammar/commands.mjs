// Grammar of `list` and of the VM-lifecycle commands (options/positional/subcommands
// only).  Tables come from data/getopt-tables.mjs; the positional rules and messages
// cite the handler.  Line numbers are 7.1.12 unless noted.
import { getOpt, RC } from "./getopt.mjs";
import { rowsFor } from "./tables.mjs";
import { getOptError, syntaxError, RTEXITCODE } from "./messages.mjs";

const rec = (hit) => {
  const o = { name: hit.row.name, given: hit.given };
  if (hit.index !== undefined) o.index = hit.index;
  if (hit.value !== undefined) o.value = hit.value;
  return o;
};

/**
 * Generic "getopt loop with positional arguments" handler.
 * spec: { table, iFirst, noStd, legacy61, maxPos, minPos, minPosMsg, extraPosMsg(v),
 *         unknownOption(hit) -> text (handlers with their own default: case) }
 */
function generic(command, args, t, spec, extra = {}) {
  const go = getOpt(args, spec.iFirst ?? 0, spec.table ? rowsFor(spec.table, t) : [], { noStdOpts: spec.noStd ?? true });
  const options = [];
  const positional = args.slice(0, spec.iFirst ?? 0);
  const legacy61 = spec.legacy61 ?? true;
  for (let hit; (hit = go.next());) {
    if (hit.kind === "error") {
      if (spec.unknownOption && hit.rc === RC.UNKNOWN_OPTION) return syntaxError(t, spec.unknownOption(hit), { legacy61 });
      return getOptError(t, hit);
    }
    if (hit.kind === "nonopt") {
      if (positional.length - (spec.iFirst ?? 0) >= (spec.maxPos ?? Infinity))
        return syntaxError(t, spec.extraPosMsg ? spec.extraPosMsg(hit.value) : `Invalid parameter '${hit.value}'`, { legacy61 });
      positional.push(hit.value);
      continue;
    }
    if (hit.row.short === "h" && hit.row.std) return { ok: true, command, help: true, options: [], positional: [] };
    options.push(rec(hit));
  }
  if (positional.length < (spec.minPos ?? 0)) return syntaxError(t, spec.minPosMsg, { legacy61 });
  return { ok: true, command, ...extra, ...(positional.length ? { target: positional[0] } : {}), options, positional };
}

/** VBoxManageList.cpp handleList (l.2640): the list subjects are option rows without dashes. */
export function parseList(args, t) {
  const go = getOpt(args, 0, rowsFor("VBoxManageList.cpp:handleList:s_aListOptions", t), { noStdOpts: true });
  const options = [];
  let subject;
  for (let hit; (hit = go.next());) {
    if (hit.kind === "error") return getOptError(t, hit);
    if (hit.kind === "nonopt") return syntaxError(t, `Unknown subcommand "${hit.value}".`, { legacy61: true });
    if (hit.row.name.startsWith("-")) options.push(rec(hit));
    else subject = hit.row.name;
  }
  if (!subject) return syntaxError(t, 'Missing subcommand for "list" command.', { legacy61: true });
  return { ok: true, command: "list", subcommand: subject, options, positional: [] };
}

// controlvm subcommands: the `!strcmp(a->argv[1], ...)` / `!strncmp(...)` chain of handleControlVM
// (VBoxManageControlVM.cpp); indexed ones (nic<N>, natpf<N>, ...) are matched by prefix.
const CONTROLVM_SUBS = {
  "6.1": "pause resume reset unplugcpu plugcpu cpuexecutioncap audioin audioout clipboard draganddrop poweroff savestate acpipowerbutton acpisleepbutton keyboardputscancode keyboardputstring keyboardputfile vrde vrdeport vrdpport vrdevideochannelquality vrdpvideochannelquality vrdeproperty vrdp usbattach usbdetach setvideomodehint setscreenlayout setcredentials dvdattach floppyattach guestmemoryballoon teleport screenshotpng recording videocap webcam addencpassword removeencpassword removeallencpasswords changeuartmode vm-process-priority",
  "7.0": "pause resume reset unplugcpu plugcpu cpuexecutioncap audioin audioout clipboard draganddrop poweroff savestate acpipowerbutton acpisleepbutton reboot shutdown keyboardputscancode keyboardputstring keyboardputfile vrde vrdeport vrdpport vrdevideochannelquality vrdpvideochannelquality vrdeproperty vrdp usbattach usbdetach setvideomodehint setscreenlayout setcredentials guestmemoryballoon teleport screenshotpng recording videocap webcam addencpassword removeencpassword removeallencpasswords changeuartmode vm-process-priority autostart-enabled autostart-delay",
};
CONTROLVM_SUBS["7.1"] = CONTROLVM_SUBS["7.0"];
const CONTROLVM_INDEXED = ["setlinkstate", "nictracefile", "nictrace", "natpf", "nicproperty", "nicpromisc", "nic"];

export function parseControlVM(args, t) {
  if (args.length < 2) return syntaxError(t, "Not enough parameters.", { legacy61: true });
  const sub = args[1];
  const known = CONTROLVM_SUBS[t.version].split(" ");
  const indexed = CONTROLVM_INDEXED.find((p) => sub.startsWith(p) && /^\d+$/.test(sub.slice(p.length)));
  // (the VM must be running before the subcommand is looked at: "Machine '%s' is not currently running.", exit 1)
  if (!known.includes(sub) && !indexed) return syntaxError(t, `Invalid parameter '${sub}'.`, { legacy61: true, exitCode: RTEXITCODE.FAILURE });
  const out = { ok: true, command: "controlvm", target: args[0], subcommand: indexed ?? sub, options: [], positional: args.slice(2) };
  if (indexed) out.index = Number(sub.slice(indexed.length));
  return out;
}

/** VBoxManageSnapshot.cpp handleSnapshot (l.280). */
export function parseSnapshot(args, t) {
  const opts = { legacy61: false }; // 6.1: HELP_CMD_SNAPSHOT (refentry style)
  if (args.length < 2) return syntaxError(t, "Not enough parameters", opts);
  const [vm, sub] = args;
  const base = { command: "snapshot", target: vm, subcommand: sub };
  const spec = (table, iFirst) => ({ table, iFirst, legacy61: false });
  switch (sub) {
    case "take": {
      if (args.length < 3) return syntaxError(t, "Missing snapshot name", opts);
      const r = generic("snapshot", args, t, { ...spec("VBoxManageSnapshot.cpp:handleSnapshot:s_aTakeOptions", 3), maxPos: 0 }, base);
      return r.ok ? { ...r, target: vm, positional: args.slice(2, 3) } : r;
    }
    case "delete": case "restore": case "showvminfo":
      if (args.length < 3) return syntaxError(t, "Expecting snapshot name only", opts);
      if (args.length > 3) return syntaxError(t, sub === "showvminfo" ? "Expecting snapshot name only" : "Too many arguments", opts);
      return { ok: true, ...base, options: [], positional: args.slice(2) };
    case "restorecurrent":
      if (args.length > 2) return syntaxError(t, "Too many arguments", opts);
      return { ok: true, ...base, options: [], positional: [] };
    case "edit": {
      if (args.length < 3) return syntaxError(t, "Missing snapshot name", opts);
      const r = generic("snapshot", args, t, { ...spec("VBoxManageSnapshot.cpp:handleSnapshot:s_aEditOptions", 2), maxPos: 1 }, base);
      return r.ok ? { ...r, target: vm, positional: r.positional.slice(2) } : r;
    }
    case "list": {
      const r = generic("snapshot", args, t, { ...spec("VBoxManageSnapshot.cpp:handleSnapshotList:g_aOptions", 2), maxPos: 0 }, base);
      return r.ok ? { ...r, target: vm, positional: [] } : r;
    }
    case "dump":
      return { ok: true, ...base, options: [], positional: args.slice(2) };
    default:
      return syntaxError(t, `Invalid parameter '${sub}'`, opts);
  }
}

/** VBoxManageMisc.cpp handleSharedFolder (l.1971): add / remove / modify (modify: 7.1 only). */
export function parseSharedFolder(args, t) {
  if (args.length < 2) return syntaxError(t, "Not enough parameters", { legacy61: false });
  const sub = args[0];
  const table = { add: "handleSharedFolderAdd:s_aAddOptions", remove: "handleSharedFolderRemove:s_aRemoveOptions",
    modify: "handleSharedFolderModify:s_aModifyOptions" }[sub];
  if (!table || (sub === "modify" && t.version !== "7.1")) return syntaxError(t, `Unknown subcommand: ${sub}`, { legacy61: false });
  const r = generic("sharedfolder", args, t, { table: `VBoxManageMisc.cpp:${table}`, iFirst: 1, noStd: false, legacy61: false, maxPos: 1 },
    { subcommand: sub });
  if (!r.ok) return r;
  return { ...r, target: r.positional[1], positional: r.positional.slice(1) };
}

/** VBoxManageGuestProp.cpp handleGuestProperty. */
export function parseGuestProperty(args, t) {
  const subs = ["get", "set", "delete", "unset", "enumerate", ...(t.version === "6.1" ? [] : ["enum"]), "wait"];
  if (args.length < 1) return t.version === "6.1" ? syntaxError(t, "Incorrect parameters", { legacy61: true }) : syntaxError(t, "No subcommand specified");
  if (!subs.includes(args[0]))
    return t.version === "6.1" ? syntaxError(t, "Incorrect parameters", { legacy61: true }) : syntaxError(t, `Unknown subcommand: ${args[0]}`);
  if (args.length < 2) return syntaxError(t, "Incorrect parameters", { legacy61: true });
  return { ok: true, command: "guestproperty", subcommand: args[0], target: args[1], options: [], positional: args.slice(2) };
}

/** Commands fully described by one getopt table plus positional rules. */
export const GENERIC = {
  // VBoxManageInfo.cpp handleShowVMInfo (l.3170)
  showvminfo: { table: "VBoxManageInfo.cpp::g_aShowVMInfoOptions", maxPos: 1, minPos: 1, minPosMsg: "VM name or UUID required" },
  // VBoxManageMisc.cpp handleStartVM (l.790): its own default: texts
  startvm: { table: "VBoxManageMisc.cpp:handleStartVM:s_aStartVMOptions", minPos: 1, minPosMsg: "at least one VM name or uuid required",
    unknownOption: (h) => `unknown option: ${h.psz}\n`.trimEnd() },
  // VBoxManageMisc.cpp handleUnregisterVM (l.170)
  unregistervm: { table: "VBoxManageMisc.cpp::g_aUnregisterVMOptions", maxPos: 1, minPos: 1, minPosMsg: "VM name required",
    unknownOption: (h) => `unknown option: ${h.psz}\n`.trimEnd() },
  // VBoxManageMisc.cpp handleCloneVM (l.625), 6.1: HELP_CMD_CLONEVM (refentry style)
  clonevm: { table: "VBoxManageMisc.cpp::g_aCloneVMOptions", maxPos: 1, minPos: 1, minPosMsg: "VM name required", legacy61: false },
  // VBoxManageAppliance.cpp handleImportAppliance (l.230)
  import: { table: "VBoxManageAppliance.cpp::g_aImportApplianceOptions", maxPos: 1 },
  // VBoxManageStorageController.cpp handleStorageAttach (l.100) / handleStorageController (l.1050)
  storageattach: { table: "VBoxManageStorageController.cpp::g_aStorageAttachOptions", iFirst: 1 },
  storagectl: { table: "VBoxManageStorageController.cpp::g_aStorageControllerOptions", iFirst: 1 },
  // VBoxManageDisk.cpp handleCreateMedium / handleShowMediumInfo / handleCloseMedium
  createmedium: { table: "VBoxManageDisk.cpp::g_aCreateMediumOptions", maxPos: 1 },
  showmediuminfo: { table: "VBoxManageDisk.cpp::g_aShowMediumInfoOptions" },
  closemedium: { table: "VBoxManageDisk.cpp::g_aCloseMediumOptions" },
};
GENERIC.createhd = GENERIC.createmedium;
GENERIC.createvdi = GENERIC.createmedium;
GENERIC.showhdinfo = GENERIC.showmediuminfo;
GENERIC.showvdiinfo = GENERIC.showmediuminfo;

export function parseGeneric(command, args, t) {
  const spec = GENERIC[command];
  const r = generic(command, args, t, spec);
  if (r.ok && (command === "storageattach" || command === "storagectl")) return { ...r, target: args[0], positional: r.positional.slice(1) };
  return r;
}

/** Commands parsed by argument count only (VBoxManageMisc.cpp handleGetExtraData/handleSetExtraData/handleDiscardState). */
export function parseByCount(command, args, t) {
  if (command === "getextradata" && args.length !== 2) return syntaxError(t, "Incorrect number of parameters", { legacy61: true });
  if (command === "setextradata" && args.length < 2) return syntaxError(t, "Not enough parameters", { legacy61: true });
  if (command === "setextradata" && args.length > 3) return syntaxError(t, "Too many parameters", { legacy61: true });
  if (command === "discardstate" && args.length !== 1) return syntaxError(t, "Incorrect number of parameters", { legacy61: true });
  return { ok: true, command, target: args[0], options: [], positional: args.slice(1) };
}
