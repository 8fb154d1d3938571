// The adapter plan of a lab: for every machine, each adapter with its mode, network,
// address and what that mode lets the machine reach on the lab's provider (reach.ts).
import type { Lab } from "../config/types.js";
import { adapterOneReach, reachOf, type Reach, type ReachRow } from "./reach.js";
import { virtualboxMac } from "./mac.js";
import { natBlockOf, vboxNatGuestAddress } from "./provider-addresses.js";

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
    const first: AdapterPlan = {
      slot: 1,
      mode: lab.provider === "libvirt" ? "management" : "nat",
      network: "(vagrant)",
      attachedTo: lab.provider === "libvirt" ? `vagrant-libvirt ${lab.managementNetwork.text}` : lab.natCidr.text,
      ip: lab.provider === "libvirt" ? "DHCP" : vboxNatGuestAddress(lab.natCidr),
      mac: "auto",
      ...reachColumns(adapterOneReach(lab.provider)),
    };
    return {
      machine: machine.name,
      adapters: [
        first,
        ...machine.nics.map((nic): AdapterPlan => {
          const attachedTo =
            nic.network.mode === "bridged"
              ? (nic.network.bridge ?? "")
              : nic.network.mode === "null"
                ? "-"
                : lab.provider === "libvirt" || ["intnet", "natnetwork", "hostonlynet"].includes(nic.network.mode)
                  ? nic.network.providerName
                  : nic.network.mode === "nat"
                    ? natBlockOf(nic).text
                    : (nic.network.cidr?.text ?? "-");
          return {
            slot: nic.slot,
            mode: nic.network.mode,
            network: nic.named ? nic.network.key : "-",
            attachedTo,
            ip: nic.ip ?? (nic.network.mode === "null" ? "-" : nic.network.mode === "intnet" ? "none" : "DHCP"),
            mac: nic.mac ? (lab.provider === "virtualbox" ? virtualboxMac(nic.mac) : nic.mac) : "auto",
            ...reachColumns(reachOf(lab.provider, nic.network)),
          };
        }),
      ],
    };
  });
}

function reachColumns(row: ReachRow): Pick<AdapterPlan, "toHost" | "toOtherVms" | "toOutside" | "fromHost"> {
  return { toHost: row.toHost.reach, toOtherVms: row.toOtherVms.reach, toOutside: row.toOutside.reach, fromHost: row.fromHost.reach };
}
