// The adapter plan of a lab: for every machine, each adapter with its mode, network,
// address and what that mode lets the machine reach (the VirtualBox manual's table 6.1).
import type { Lab } from "../config/types.js";
import { MODES, type Reach } from "./modes.js";
import { virtualboxMac } from "./mac.js";

export interface AdapterPlan {
  slot: number;
  mode: string;
  /** The network's key in the config, or "-" for per-NIC modes. */
  network: string;
  /** The provider-side name: intnet / NAT Network / libvirt network name, or the bridged device. */
  attachedTo: string;
  ip: string;
  mac: string;
  toHost: Reach;
  toOtherVms: Reach;
  toOutside: Reach;
  fromHost: Reach;
}

export interface MachinePlan {
  machine: string;
  adapters: AdapterPlan[];
}

/** Adapter 1 first (Vagrant's NAT), then the config's NICs in slot order. */
export function planLab(lab: Lab): MachinePlan[] {
  return lab.machines.map((machine) => {
    const nat = MODES.nat;
    const first: AdapterPlan = {
      slot: 1,
      mode: lab.provider === "libvirt" ? "management" : "nat",
      network: "(vagrant)",
      attachedTo: lab.provider === "libvirt" ? `vagrant-libvirt ${lab.managementNetwork.text}` : "10.0.2.0/24",
      ip: lab.provider === "libvirt" ? "DHCP" : "10.0.2.15",
      mac: "auto",
      toHost: nat.toHost,
      toOtherVms: lab.provider === "libvirt" ? "yes" : nat.toOtherVms,
      toOutside: nat.toOutside,
      fromHost: lab.provider === "libvirt" ? "yes" : nat.fromHost,
    };
    return {
      machine: machine.name,
      adapters: [
        first,
        ...machine.nics.map((nic): AdapterPlan => {
          const info = MODES[nic.network.mode];
          const attachedTo =
            nic.network.mode === "bridged"
              ? (nic.network.bridge ?? "")
              : nic.network.mode === "null"
                ? "-"
                : lab.provider === "libvirt" || ["intnet", "natnetwork", "hostonlynet"].includes(nic.network.mode)
                  ? nic.network.providerName
                  : nic.network.cidr?.text ?? "-";
          return {
            slot: nic.slot,
            mode: nic.network.mode,
            network: nic.named ? nic.network.key : "-",
            attachedTo,
            ip: nic.ip ?? (nic.network.mode === "null" ? "-" : nic.network.mode === "intnet" ? "none" : "DHCP"),
            mac: nic.mac ? (lab.provider === "virtualbox" ? virtualboxMac(nic.mac) : nic.mac) : "auto",
            toHost: info.toHost,
            toOtherVms: info.toOtherVms,
            toOutside: info.toOutside,
            fromHost: info.fromHost,
          };
        }),
      ],
    };
  });
}
