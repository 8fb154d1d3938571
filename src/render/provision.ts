// A machine's provisioning as the Vagrantfile prints it, for both providers: kvm-lab's own
// shell steps (the lab's /etc/hosts block, NIC MTUs) and the config's steps. Option names
// are Vagrant 2.3.4's (plugins/provisioners/<type>/config.rb, kernel_v2/config/vm.rb
// `provision` for `type:` and `run:`); values stay raw for the templates' literal helpers.
import fs from "node:fs";
import path from "node:path";
import { labInventoryGroups } from "../config/inventory.js";
import type { ExtraValue, Lab, Machine, Nic, Provision } from "../config/types.js";
import { normalizeMac } from "../net/mac.js";
import { TEMPLATES_DIR } from "../paths.js";
import type { BuiltinStepView, GuestScriptView, MachineView, OptionPairs, ProvisionSettingView, ProvisionView } from "./view.js";

/** A NIC whose MTU kvm-lab sets in the guest: it has one, and kvm-lab configures it (autoConfig). */
export function needsGuestMtu(nic: Nic): boolean {
  return nic.mtu !== undefined && nic.autoConfig;
}

/** kvm-lab's own shell steps for a machine whose NICs carry the MACs the provider gives them (MTUs find NICs by MAC). */
export function builtinSteps(lab: Lab, machine: Machine): BuiltinStepView[] {
  const steps: BuiltinStepView[] = [];
  if (lab.etcHosts) {
    const network = lab.etcHosts;
    steps.push({
      comment: [
        `/etc/hosts lists every machine by its address on ${network.key} (etcHosts), in a block of`,
        "its own that kvm-lab's templates/etc-hosts.sh rewrites on every up and provision",
      ],
      name: "kvm-lab: /etc/hosts",
      script: "etc_hosts_script",
      args: [],
      argsConstant: "ETC_HOSTS_ARGS",
    });
  }
  const mtus = machine.nics.filter(needsGuestMtu).map((nic) => [normalizeMac(nic.mac!) ?? nic.mac!, String(nic.mtu)]);
  if (mtus.length) {
    steps.push({
      comment: [
        "NIC MTUs, set in the guest by MAC (kvm-lab's templates/guest-mtu.sh): now, and at",
        "every boot by a udev rule, since Vagrant's guest network setup has no MTU",
      ],
      name: "kvm-lab: NIC MTUs",
      script: "set_mtu_script",
      args: mtus,
      argsConstant: undefined,
    });
  }
  return steps;
}

/** The /etc/hosts script's arguments, one line each: the lab's name, then each machine's static address on the etcHosts network, hostname and name. */
export function etcHostsArgs(lab: Lab): string[][] {
  const network = lab.etcHosts;
  if (!network) return [];
  const listed = lab.machines.flatMap((m) => m.nics.filter((nic) => nic.network === network && nic.ip !== undefined).map((nic) => [nic.ip!, m.hostname, m.name]));
  return [[lab.name], ...listed];
}

const SCRIPTS: Record<GuestScriptView["method"], { file: string; comment: string[] }> = {
  etc_hosts_script: { file: "etc-hosts.sh", comment: ["Lists the lab's machines in /etc/hosts (kvm-lab's templates/etc-hosts.sh)."] },
  set_mtu_script: { file: "guest-mtu.sh", comment: ["Sets NIC MTUs by MAC, now and at boot (kvm-lab's templates/guest-mtu.sh)."] },
};

/** The scripts the machines' own steps run, each embedded once in the Vagrantfile's KvmLab module. */
export function guestScripts(machines: readonly MachineView[]): GuestScriptView[] {
  const used = new Set(machines.flatMap((m) => m.builtinSteps.map((s) => s.script)));
  return (Object.keys(SCRIPTS) as GuestScriptView["method"][])
    .filter((method) => used.has(method))
    .map((method) => ({ method, comment: SCRIPTS[method].comment, text: fs.readFileSync(path.join(TEMPLATES_DIR, SCRIPTS[method].file), "utf8").trimEnd() }));
}

/** The lab's Ansible groups for the KvmLab module, when some machine has an Ansible step and the lab makes groups. */
export function inventoryGroupsOf(lab: Lab): Record<string, string[]> | undefined {
  const ansible = lab.machines.some((m) => m.provision.some((step) => step.type === "ansible" || step.type === "ansible_local"));
  const groups = labGroupsOf(lab);
  return ansible && Object.keys(groups).length ? groups : undefined;
}

/** The lab's groups, made once per lab (every machine's steps ask). */
const groupsOfLab = new WeakMap<Lab, Record<string, string[]>>();
function labGroupsOf(lab: Lab): Record<string, string[]> {
  let groups = groupsOfLab.get(lab);
  if (!groups) groupsOfLab.set(lab, (groups = labInventoryGroups(lab)));
  return groups;
}

/** The config's steps of a machine, in order. */
export function provisionViews(lab: Lab, machine: Machine): ProvisionView[] {
  const labGroups = labGroupsOf(lab);
  return machine.provision.map((step) => stepView(step, labGroups));
}

const setting = (key: string, value: ProvisionSettingView["value"]): ProvisionSettingView => ({ key, value, hash: undefined, labGroups: false });
const hashSetting = (key: string, hash: Record<string, ExtraValue>): ProvisionSettingView => ({ key, value: undefined, hash, labGroups: false });

/** `run:` on the call (kernel_v2/config/vm.rb `provision` takes it there); "once" is Vagrant's default and left out. */
function runOption(step: Provision): OptionPairs {
  return step.run === "once" ? [] : [["run", step.run]];
}

/** Settings printed on the call line, or in a block when one of them is a hash (Ruby literals of ruby.ts). */
function view(comment: string[], first: string, head: OptionPairs, settings: ProvisionSettingView[], variable: string): ProvisionView {
  const kept = settings.filter((s) => s.value !== undefined || s.hash !== undefined || s.labGroups);
  if (kept.some((s) => s.hash !== undefined || s.labGroups)) return { comment, first, options: head, variable, settings: kept };
  const [name, ...rest] = head;
  // One line: the name (or type) first, the settings, `run:` last.
  const run = rest.filter(([key]) => key === "run");
  const others = rest.filter(([key]) => key !== "run");
  return { comment, first, options: [name, ...others, ...kept.map((s): [string, ProvisionSettingView["value"]] => [s.key, s.value]), ...run], variable: undefined, settings: [] };
}

/**
 * A shell step's argument or env value as Vagrant must be given it to pass it on as written:
 * Vagrant puts each between double quotes in the command the guest's shell runs (shell/
 * provisioner.rb quote_and_escape, provision_ssh), where `$`, backquote and backslash still
 * act; a backslash before each makes them plain characters there.
 */
export function literalInVagrantQuotes(text: string): string {
  return text.replace(/[\\$`]/g, "\\$&");
}

function stepView(step: Provision, labGroups: Record<string, string[]>): ProvisionView {
  switch (step.type) {
    case "shell": {
      // shell/config.rb: inline, path, args (each one word, as written), env, privileged (default true).
      const envValues = Object.fromEntries(Object.entries(step.env).map(([key, value]) => [key, literalInVagrantQuotes(value)]));
      const env = Object.keys(envValues).length ? hashSetting("env", envValues) : setting("env", undefined);
      return view([], "shell", [["name", step.name], ...runOption(step)], [
        setting("inline", step.inline),
        setting("path", step.script),
        setting("args", step.args.length ? step.args.map(literalInVagrantQuotes) : undefined),
        env,
        setting("privileged", step.privileged ? undefined : false),
      ], "shell");
    }
    case "file":
      // file/config.rb: source (relative to the Vagrantfile's folder), destination (in the guest).
      return view([], step.name, [["type", "file"], ...runOption(step)], [setting("source", step.source), setting("destination", step.destination)], "file");
    case "reboot":
      // shell/config.rb `reboot`: with neither inline nor path, the step only reboots the
      // guest (shell/provisioner.rb `provision` calls the guest's :reboot capability).
      return view([], "shell", [["name", step.name], ...runOption(step)], [setting("reboot", true)], "shell");
    case "ansible":
    case "ansible_local": {
      // Vagrant writes the inventory: `ansible` lists the machines that exist, with their SSH
      // addresses (ansible/provisioner/host.rb generate_inventory_machines); `ansible_local`
      // every machine of the Vagrantfile by name, this one with ansible_connection=local
      // (provisioner/guest.rb). Group members must be machine names (provisioner/base.rb
      // generate_inventory_groups drops others), and the run is limited to this machine
      // unless `limit` says otherwise (base.rb prepare_common_command_arguments).
      const local = step.type === "ansible_local";
      // The lab's groups are written once, in the KvmLab module (inventoryGroupsOf): a lab of
      // N machines would otherwise repeat N names in each of its N machines' steps.
      const labHasGroups = Object.keys(labGroups).length > 0;
      const ownGroups = Object.keys(step.groups).length ? step.groups : undefined;
      return view(
        local
          ? ["Ansible in the guest; Vagrant's inventory lists every machine, with the lab's groups"]
          : ["Ansible from the host over SSH; Vagrant's inventory lists every machine, with the lab's groups"],
        step.name,
        [["type", step.type], ...runOption(step)],
        [
          setting("playbook", step.playbook),
          // ansible/config/guest.rb: provisioning_path (default /vagrant) and install (Vagrant's default true, kvm-lab's false).
          setting("provisioning_path", local ? step.provisioningPath : undefined),
          setting("install", local ? step.install : undefined),
          // ansible/config/base.rb: limit (default: this machine, provisioner/base.rb), verbose, groups, extra_vars (a Hash).
          setting("limit", step.limit),
          setting("verbose", step.verbose),
          labHasGroups
            ? { key: "groups", value: undefined, hash: ownGroups, labGroups: true }
            : ownGroups
              ? hashSetting("groups", ownGroups)
              : setting("groups", undefined),
          Object.keys(step.extraVars).length ? hashSetting("extra_vars", step.extraVars) : setting("extra_vars", undefined),
        ],
        "ansible",
      );
    }
  }
}
