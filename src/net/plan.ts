// The adapter plan of a lab: for every machine, each adapter with its mode, network,
// address and what that mode lets the machine reach on the lab's provider (reach.ts).
import type { Lab } from "../config/types.js";
import { adapterOneReach, reachOf, type Reach, type ReachRow } from "./reach.js";
import { virtualboxMac } from "./mac.js";
import { natBlockOf, vboxNatGuestAddress } from "./provider-addresses.js";

export interface AdapterPlan {
  slot: number;
  mode: string;
  /** The network's key in the config; null for adapter 1 and NICs with a mode of their own. */
  network: string | null;
  /** The provider-side name: intnet / NAT Network / libvirt network name, the bridged device, or the NAT block; null when not attached. */
  attachedTo: string | null;
  /** The fixed address, or VirtualBox NAT's fixed guest address; null when DHCP or none. */
  ip: string | null;
  /** How the guest gets its address on this adapter. */
  addressing: "static" | "dhcp" | "none";
  /** The MAC address the Vagrantfile sets; null when the provider picks one. */
  mac: string | null;
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
      network: null,
      attachedTo: lab.provider === "libvirt" ? `vagrant-libvirt ${lab.managementNetwork.text}` : lab.natCidr.text,
      ip: lab.provider === "libvirt" ? null : vboxNatGuestAddress(lab.natCidr),
      addressing: lab.provider === "libvirt" ? "dhcp" : "static",
      mac: null,
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
                ? null
                : lab.provider === "libvirt" || ["intnet", "natnetwork", "hostonlynet"].includes(nic.network.mode)
                  ? nic.network.providerName
                  : nic.network.mode === "nat"
                    ? natBlockOf(nic).text
                    : (nic.network.cidr?.text ?? null);
          return {
            slot: nic.slot,
            mode: nic.network.mode,
            network: nic.named ? nic.network.key : null,
            attachedTo,
            ip: nic.ip ?? null,
            // Internal networks have no DHCP server; a NIC with no cable ("null") gets nothing.
            addressing: nic.ip ? "static" : nic.network.mode === "null" || nic.network.mode === "intnet" ? "none" : "dhcp",
            mac: nic.mac ? (lab.provider === "virtualbox" ? virtualboxMac(nic.mac) : nic.mac) : null,
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

/** A reach as JSON: true or false, "port-forward" (the host reaches it through forwarded ports only), null where it depends on the driver. */
export type ReachValue = boolean | "port-forward" | null;

function reachValue(reach: Reach): ReachValue {
  return reach === "yes" ? true : reach === "no" ? false : reach === "port-forward" ? reach : null;
}

/** The plan for programs (`plan --json`): typed values, reach as booleans. */
export function planJson(plan: MachinePlan[]) {
  return plan.map(({ machine, adapters }) => ({
    machine,
    adapters: adapters.map(({ toHost, toOtherVms, toOutside, fromHost, ...adapter }) => ({
      ...adapter,
      reach: { toHost: reachValue(toHost), toOtherVms: reachValue(toOtherVms), toOutside: reachValue(toOutside), fromHost: reachValue(fromHost) },
    })),
  }));
}

/** An adapter's address as the plan table shows it. */
export function addressText(adapter: AdapterPlan): string {
  return adapter.ip ?? (adapter.addressing === "dhcp" ? "DHCP" : "none");
}
