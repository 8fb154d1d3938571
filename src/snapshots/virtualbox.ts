// Lab snapshots on VirtualBox through VBoxManage itself, the calls Vagrant 2.3.4's provider
// makes (plugins/providers/virtualbox/driver/version_5_0.rb), so `vagrant snapshot list` shows
// the same snapshots:
// - save: create_snapshot, `VBoxManage snapshot <uuid> take <name>`; of a running VM
//   VirtualBox keeps the memory too (an online snapshot). VirtualBox allows two snapshots of
//   one name; `vagrant snapshot save --force` deletes the old one first
//   (plugins/commands/snapshot/command/save.rb), and so does this.
// - restore: Vagrant's action_snapshot_restore (plugins/providers/virtualbox/action.rb) halts
//   with force_halt (driver.halt: `controlvm <uuid> poweroff`), restores (restore_snapshot:
//   `snapshot <uuid> restore <name>`; VirtualBox refuses it on a running VM), then starts
//   (action_start -> driver.start: `startvm <uuid> --type headless|gui`, action/boot.rb), which
//   resumes the snapshot's saved memory state without a boot.
// - list: list_snapshots (`snapshot <uuid> list --machinereadable`, SnapshotName*="..."; "does
//   not have any snapshots" is an empty list); delete: delete_snapshot.
// Why VBoxManage and not `vagrant snapshot`: one Ruby start (seconds) per command saved, and
// `vagrant snapshot restore` also runs the provisioners and waits for SSH (action_resume:
// Provision, WaitForCommunicator), and stops at the first machine that fails, where kvm-lab
// goes on with the others and names every failure. Machines run at once: each VBoxManage
// call locks only its own VM's session (VirtualBox's IMachine::lockMachine).
import type { Machine } from "../config/types.js";
import { ProviderToolMissingError } from "../errors.js";
import { runProcess, type ProcessResult } from "../process/run.js";
import { MachineStepError, type MachineSnapshot, type MachineState, type MachineStateInfo, type ProviderMachine, type SnapshotBackend } from "./backend.js";

/** VBoxManage on PATH, as Vagrant finds it (plugins/providers/virtualbox/driver/base.rb). */
const VBOXMANAGE = "VBoxManage";

function vboxWords(result: ProcessResult): string {
  const text = (result.stderr.trim() || result.stdout.trim() || `exit ${result.exitCode ?? result.signal}`)
    .split("\n")
    .filter((line) => !/^[\d%.]+$/.test(line.trim())) // the progress line 0%...100%
    .map((line) => line.replace(/^VBoxManage: error: /, ""))
    .join("\n");
  return result.timedOut ? `${text} (timed out)` : text;
}

/** VMState of `showvminfo --machinereadable` (VirtualBox's MachineState, VBoxManageInfo.cpp machineStateToName). */
function stateOf(said: string): MachineState {
  if (said === "running") return "running";
  if (said === "paused") return "paused";
  if (["poweroff", "saved", "aborted", "aborted-saved"].includes(said)) return "stopped";
  return "other";
}

/** The snapshot backend for labs on VirtualBox: VBoxManage, all machines at once. */
export function virtualboxBackend(lab: { machines: Pick<Machine, "name" | "virtualbox">[] }, options: { timeoutMs?: number } = {}): SnapshotBackend {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  // action/boot.rb: "gui" when the provider config's gui is set (kvm-lab: virtualbox.options.gui).
  const modes = new Map(lab.machines.map((m) => [m.name, (m.virtualbox as { options?: Record<string, unknown> }).options?.gui === true ? "gui" : "headless"]));

  async function vbox(args: string[]): Promise<ProcessResult> {
    const result = await runProcess(VBOXMANAGE, args, { timeoutMs });
    if (result.notFound || result.notExecutable) {
      throw new ProviderToolMissingError("VBoxManage cannot be run (not on PATH)", { hint: "install VirtualBox, or put the folder holding VBoxManage on PATH", cause: result });
    }
    return result;
  }

  async function step(args: string[]): Promise<string> {
    const result = await vbox(args);
    if (result.failed) throw new MachineStepError(`VBoxManage ${args.join(" ")}: ${vboxWords(result)}`);
    return result.stdout;
  }

  async function info(machine: ProviderMachine): Promise<MachineStateInfo> {
    const result = await vbox(["showvminfo", machine.id, "--machinereadable"]);
    if (result.failed) {
      // driver/version_5_0.rb vm_exists?: VBOX_E_OBJECT_NOT_FOUND means the VM truly does not exist.
      if (/VBOX_E_OBJECT_NOT_FOUND|Could not find a registered machine/.test(result.stderr)) return { state: "not_created", said: "no such VM" };
      throw new MachineStepError(vboxWords(result));
    }
    const said = /^VMState="(.+?)"$/m.exec(result.stdout)?.[1] ?? "unknown";
    return { state: stateOf(said), said };
  }

  async function list(machine: ProviderMachine): Promise<MachineSnapshot[]> {
    const result = await vbox(["snapshot", machine.id, "list", "--machinereadable"]);
    if (result.failed) {
      if (/does not have any snapshots/.test(`${result.stdout}\n${result.stderr}`)) return [];
      throw new MachineStepError(vboxWords(result));
    }
    // VirtualBox does not say which hold memory; Vagrant reads only the names.
    return [...result.stdout.matchAll(/^SnapshotName[-\d]*="(.+?)"$/gm)].map((m) => ({ name: m[1] }));
  }

  return {
    provider: "virtualbox",
    parallel: true,
    state: info,
    list,
    async save(machine, name) {
      for (const old of (await list(machine)).filter((s) => s.name === name)) await step(["snapshot", machine.id, "delete", old.name]);
      await step(["snapshot", machine.id, "take", name]);
    },
    async restore(machine, name) {
      const { state } = await info(machine);
      if (state === "running" || state === "paused") await step(["controlvm", machine.id, "poweroff"]);
      await step(["snapshot", machine.id, "restore", name]);
      await step(["startvm", machine.id, "--type", modes.get(machine.name) ?? "headless"]);
    },
    async delete(machine, name) {
      await step(["snapshot", machine.id, "delete", name]);
    },
  };
}
