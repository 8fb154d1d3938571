// The Ansible inventory groups a lab makes by itself: one per counted machine entry
// (`compute{n}` -> group `compute`) and one per network (the machines with a NIC on it).
// Vagrant's ansible and ansible_local provisioners write the inventory (every machine of the
// Vagrantfile); these groups are passed to them as `groups`, merged with a step's own (in
// the Vagrantfile: KvmLab.inventory_groups, templates/partials/guest-scripts.hbs).
import type { Lab } from "./types.js";

/**
 * A name as Ansible takes a group name: a character that cannot be in a Python identifier
 * becomes `_`, as Ansible's own to_safe_group_name does (lib/ansible/inventory/group.py,
 * with C.INVALID_VARIABLE_NAMES = `^[\d\W]|[^\w]` from lib/ansible/constants.py), so
 * Ansible neither warns about it nor renames it.
 */
export function ansibleGroupName(text: string): string {
  return text.replace(/^[^A-Za-z_]|[^A-Za-z0-9_]/g, "_");
}

/** Whether Ansible takes `name` as a group name unchanged (`web`, `lan_a`, `_10_net`). */
export function isAnsibleGroupName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** The lab's own groups: counted entries first, then networks, each with its machines in lab order; empty groups left out. */
export function labInventoryGroups(lab: Lab): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  const add = (group: string, machine: string): void => {
    const members = (groups[group] ??= []);
    if (!members.includes(machine)) members.push(machine);
  };
  for (const machine of lab.machines) if (machine.group !== undefined) add(ansibleGroupName(machine.group), machine.name);
  for (const network of lab.networks) {
    for (const machine of lab.machines) {
      if (machine.nics.some((nic) => nic.network === network)) add(ansibleGroupName(network.key), machine.name);
    }
  }
  return groups;
}
