// What a provider must do for lab-level snapshots, one machine at a time: its state, its
// snapshots, save / restore / delete one. libvirt.ts (virsh) and virtualbox.ts (VBoxManage)
// implement it; lab.ts runs it over the lab's machines and collects every failure.
import type { Provider } from "../config/types.js";

/** A machine as the provider knows it: the lab's name for it and the provider's id (from .vagrant/). */
export interface ProviderMachine {
  name: string;
  /** libvirt: the domain's UUID; VirtualBox: the VM's UUID. */
  id: string;
}

/** Where a machine is: "running" and "paused" are the states a snapshot with memory can be saved in. */
export type MachineState = "running" | "stopped" | "paused" | "not_created" | "other";

export interface MachineStateInfo {
  state: MachineState;
  /** The provider's own word for it (virsh domstate: "shut off"; VBoxManage VMState: "poweroff"). */
  said: string;
}

/** One snapshot of one machine, as the provider lists it. */
export interface MachineSnapshot {
  name: string;
  /** It holds the memory too (a restore resumes without a boot); unknown when the provider's list does not say. */
  memory?: boolean;
}

/** A step that failed on a machine: the provider tool's own words, what that means and the fix when known. */
export class MachineStepError extends Error {
  readonly fix?: string;
  constructor(message: string, fix?: string) {
    super(message);
    this.name = "MachineStepError";
    this.fix = fix;
  }
}

export interface SnapshotBackend {
  provider: Provider;
  /** Whether steps may run on all machines at once. */
  parallel: boolean;
  state(machine: ProviderMachine): Promise<MachineStateInfo>;
  list(machine: ProviderMachine): Promise<MachineSnapshot[]>;
  /** Saves `name` (with memory where the machine runs); an existing snapshot of that name is replaced first. */
  save(machine: ProviderMachine, name: string): Promise<void>;
  /** Brings the machine back to `name` and leaves it as the snapshot was (running, without a boot, when it holds memory). */
  restore(machine: ProviderMachine, name: string): Promise<void>;
  delete(machine: ProviderMachine, name: string): Promise<void>;
}
