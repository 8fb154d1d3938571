// Rules of provisioning: the steps of each machine (shell, file, ansible, ansible_local,
// reboot), the lab's /etc/hosts block (etcHosts) and the NIC settings the guest is told
// about (autoConfig, mtu, defaultRoute). Each problem names the field and the fix.
import fs from "node:fs";
import path from "node:path";
import type { Problem } from "../errors.js";
import { closest } from "./suggest.js";
import { isAnsibleGroupName, labInventoryGroups } from "./inventory.js";
import type { Lab, Machine, Nic, Provision } from "./types.js";

/** Where relative paths of the config point: the lab folder (the config's), when the lab was loaded from a file. */
export interface ProvisionRuleOptions {
  folder?: string;
}

/** Every rule of provisioning steps, /etc/hosts and NIC guest settings, over the whole lab. */
export function checkProvisioning(lab: Lab, errors: Problem[], warnings: Problem[], options: ProvisionRuleOptions = {}): void {
  const known = lab.machines.map((m) => m.name);
  const labGroups = Object.keys(labInventoryGroups(lab));
  // The machines of a counted entry share its steps: each step is checked once, on the first.
  const checked = new Set<string>();
  for (const machine of lab.machines) {
    const seen = new Map<string, string>();
    for (const step of machine.provision) {
      if (!firstOfEntry(step.path, checked)) continue;
      const first = seen.get(step.name);
      if (step.name.startsWith(RESERVED_PREFIX)) {
        errors.push({ path: `${step.path}.name`, message: `"${step.name}" starts with "${RESERVED_PREFIX}", which names kvm-lab's own steps (--provision-with would pick both)`, fix: "name the step otherwise" });
      } else if (first !== undefined) {
        // Vagrant merges provisioners of one name (kernel_v2/config/vm.rb `provision`: a named one is found and added to).
        errors.push({ path: `${step.path}.name`, message: `"${step.name}" is already the name of ${first}`, fix: "give each step of a machine its own name" });
      } else {
        seen.set(step.name, step.path);
      }
      checkStep(lab, step, { known, labGroups, folder: options.folder }, errors, warnings);
    }
    for (const nic of machine.nics) if (firstOfEntry(nic.path, checked)) checkNicGuestSettings(nic, errors, warnings);
  }
  checkMtusAcrossMachines(lab, warnings);
  checkEtcHosts(lab, warnings);
}

/** kvm-lab's own shell steps are named "kvm-lab: ..." (render/provision.ts, the VirtualBox NIC step). */
const RESERVED_PREFIX = "kvm-lab:";

/**
 * Whether `path` (`machines[1] (web2).provision[0]`) is met for the first time as a place of
 * the config (`machines[1].provision[0]`): a counted entry's machines share their settings.
 */
function firstOfEntry(path: string, seen: Set<string>): boolean {
  const place = path.replace(/ \([^)]*\)/, "");
  if (seen.has(place)) return false;
  seen.add(place);
  return true;
}

interface StepContext {
  known: string[];
  labGroups: string[];
  folder?: string;
}

/** Vagrant's shell provisioner downloads a path that is an ftp, http or https URL (shell/config.rb `remote?`). */
const REMOTE = /^(ftp|https?):\/\//i;

/** Shell variable names: Vagrant puts `NAME='value'` before the script's command, the name unquoted (shell/provisioner.rb `provision_ssh`). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A guest path the file provisioner can take: Vagrant runs `printf <path>` in the guest's
 * shell to expand it, escaping spaces alone (guests/linux/cap/shell_expand_guest_path.rb),
 * so `$`, quotes, `;`, `%`, `\` and the like would be acted on; `~` leads only.
 */
const GUEST_PATH = /^~?[A-Za-z0-9 _./+,:@=-]*$/;

/** ansible's `-v` .. `-vvvvvv` (ansible/provisioner/base.rb `verbosity_argument` takes `v+`, else falls back to -v). */
const VERBOSE = /^-?v{1,6}$/;

function checkStep(lab: Lab, step: Provision, ctx: StepContext, errors: Problem[], warnings: Problem[]): void {
  const at = step.path;
  switch (step.type) {
    case "shell": {
      // shell/config.rb validate: path_and_inline_set, no_path_or_inline.
      if (step.inline !== undefined && step.script !== undefined) {
        errors.push({ path: at, message: "has both inline and path", fix: "keep one: inline for the script's text, path for a script file" });
      } else if (step.inline === undefined && step.script === undefined) {
        errors.push({ path: at, message: "has neither inline nor path", fix: 'add inline: "<script>" or path: "scripts/setup.sh"' });
      }
      if (step.script !== undefined && !REMOTE.test(step.script)) {
        // shell/config.rb validate refuses a path that is not a file (path_invalid): vagrant stops.
        const missing = missingUnder(ctx.folder, step.script, "file");
        if (missing) errors.push({ path: `${at}.path`, message: `${missing}, and Vagrant refuses a shell step whose script is missing`, fix: "create the script, or fix the path (relative to the lab folder)" });
      }
      for (const key of Object.keys(step.env)) {
        if (!ENV_NAME.test(key)) {
          errors.push({ path: `${at}.env`, message: `"${key}" is not a shell variable name (Vagrant writes it unquoted into the command that runs the script)`, fix: "use letters, digits and _, not starting with a digit" });
        }
      }
      return;
    }
    case "file": {
      // file/config.rb validate refuses a source that does not exist (path_invalid).
      const missing = missingUnder(ctx.folder, step.source, "any");
      if (missing) errors.push({ path: `${at}.source`, message: `${missing}, and Vagrant refuses a file step whose source is missing`, fix: "create it, or fix the path (relative to the lab folder)" });
      if (!step.destination.trim()) {
        errors.push({ path: `${at}.destination`, message: "is empty", fix: 'name the path in the guest, e.g. "/tmp/file"' });
      } else if (!GUEST_PATH.test(step.destination)) {
        // `$HOME/x` (people write it as in a shell) is the SSH user's home: `~/x`, which is safe.
        const home = /^\$(HOME|\{HOME\})(?=\/|$)/.exec(step.destination);
        const tilde = home ? `~${step.destination.slice(home[0].length)}` : undefined;
        errors.push({
          path: `${at}.destination`,
          message: `${JSON.stringify(step.destination)} holds characters the guest's shell would act on: Vagrant expands the destination with \`printf <destination>\` in the guest`,
          fix: tilde && GUEST_PATH.test(tilde) ? `use "${tilde}" (a leading ~ is the SSH user's home, as $HOME is)` : "use letters, digits, spaces and / . _ - + , : @ = (a leading ~ is the SSH user's home)",
        });
      } else if (!step.destination.startsWith("/") && !step.destination.startsWith("~")) {
        warnings.push({ path: `${at}.destination`, message: `"${step.destination}" is relative: it lands relative to the SSH user's working folder in the guest`, fix: 'use an absolute path the SSH user can write, e.g. "/tmp/file" or "/home/vagrant/file"' });
      }
      return;
    }
    case "ansible":
    case "ansible_local":
      checkAnsible(lab, step, ctx, errors, warnings);
      return;
    case "reboot":
      return;
  }
}

function checkAnsible(lab: Lab, step: Extract<Provision, { type: "ansible" | "ansible_local" }>, ctx: StepContext, errors: Problem[], warnings: Problem[]): void {
  const at = step.path;
  if (step.type === "ansible") {
    // Only the guest provisioner has them (ansible/config/guest.rb); on `ansible` Vagrant's validate refuses them as unknown settings.
    if (step.provisioningPath !== undefined) errors.push({ path: `${at}.provisioningPath`, message: "is a setting of ansible_local (the playbook's folder in the guest)", fix: 'remove it, or use type: "ansible_local"' });
    if (step.install) errors.push({ path: `${at}.install`, message: "is a setting of ansible_local: `ansible` runs the host's own Ansible", fix: 'remove it (install Ansible on the host), or use type: "ansible_local"' });
    // Checked when the step runs, not by vagrant validate (ansible/provisioner/host.rb check_files_existence).
    const missing = missingUnder(ctx.folder, step.playbook, "file");
    if (missing) warnings.push({ path: `${at}.playbook`, message: `${missing}: the step fails when it runs`, fix: "create the playbook, or fix the path (relative to the lab folder)" });
  } else if (step.provisioningPath === undefined && !path.posix.isAbsolute(step.playbook)) {
    // ansible_local reads the playbook in the guest, under provisioning_path, default /vagrant (ansible/config/guest.rb finalize!).
    if (!sharesVagrantFolder(lab, step.path)) {
      warnings.push({
        path: `${at}.playbook`,
        message: "ansible_local reads the playbook in the guest under /vagrant, which this lab does not share",
        fix: "share the lab folder (syncedFolder: true, or a synced folder to /vagrant), or set provisioningPath to where the playbook is in the guest",
      });
    }
    const missing = missingUnder(ctx.folder, step.playbook, "file");
    if (missing) warnings.push({ path: `${at}.playbook`, message: `${missing}: the step fails when it runs`, fix: "create the playbook, or fix the path (relative to the lab folder, shared as /vagrant)" });
  }
  if (step.type === "ansible_local") checkGuestCommandWords(step, errors);
  if (step.verbose !== undefined && !VERBOSE.test(step.verbose)) {
    errors.push({ path: `${at}.verbose`, message: `"${step.verbose}" is not a verbosity (Vagrant would run -v instead)`, fix: 'use "v", "vv", "vvv" or "vvvv"' });
  }
  checkGroups(step.groups, `${at}.groups`, ctx, errors);
}

/** A word the guest's shell reads unquoted as it is: what a path there may hold. */
const PLAIN_WORD = /^[A-Za-z0-9_.,:=+@%/~-]+$/;
/** What double quotes leave to the shell: `$`, backquote, backslash, and the quote itself. */
const ACTIVE_IN_DOUBLE_QUOTES = /[$`\\"]/;

/**
 * ansible_local runs `cd <provisioning_path> && ansible-playbook ... --limit="<limit>" <playbook>`
 * in the guest's shell, path and playbook unquoted (ansible/provisioner/guest.rb
 * execute_ansible_command_on_guest, base.rb ansible_playbook_command_for_shell_execution);
 * `ansible` runs on the host without a shell (host.rb, Vagrant::Util::Subprocess).
 */
function checkGuestCommandWords(step: Extract<Provision, { type: "ansible" | "ansible_local" }>, errors: Problem[]): void {
  const at = step.path;
  const said = "ansible_local pastes it unquoted into the command the guest's shell runs";
  if (!PLAIN_WORD.test(step.playbook)) {
    errors.push({ path: `${at}.playbook`, message: `${JSON.stringify(step.playbook)}: ${said}`, fix: "use letters, digits and _ . , : = + @ % / ~ - in the path" });
  }
  if (step.provisioningPath !== undefined && !PLAIN_WORD.test(step.provisioningPath)) {
    errors.push({ path: `${at}.provisioningPath`, message: `${JSON.stringify(step.provisioningPath)}: ${said}`, fix: "use letters, digits and _ . , : = + @ % / ~ - in the path" });
  }
  if (step.limit !== undefined && ACTIVE_IN_DOUBLE_QUOTES.test(step.limit)) {
    errors.push({
      path: `${at}.limit`,
      message: `${JSON.stringify(step.limit)}: ansible_local passes it as --limit="..." to the guest's shell, which acts on $, backquotes, backslashes and quotes there`,
      fix: "write the host pattern without $ ` \\ \"",
    });
  }
}

/**
 * A step's own groups: plain groups list machines of the lab, `<g>:children` groups list
 * groups, `<g>:vars` lines `key=value` (ansible/provisioner/base.rb generate_inventory_groups,
 * which drops a member that is no machine of the Vagrantfile without a word).
 */
function checkGroups(groups: Record<string, string[]>, at: string, ctx: StepContext, errors: Problem[]): void {
  const groupNames = new Set([...ctx.labGroups, ...Object.keys(groups).map((g) => g.replace(/:(children|vars)$/, ""))]);
  for (const [name, members] of Object.entries(groups)) {
    const where = `${at}[${JSON.stringify(name)}]`;
    const suffix = /:(children|vars)$/.exec(name)?.[1];
    const base = suffix ? name.slice(0, -suffix.length - 1) : name;
    if (!isAnsibleGroupName(base) && !(suffix === "vars" && base === "all")) {
      errors.push({ path: where, message: `"${base}" is not an Ansible group name`, fix: "use letters, digits and _, not starting with a digit" });
    }
    if (suffix === "vars") {
      members.forEach((line, i) => {
        if (!/^[^=\s]+=/.test(line)) errors.push({ path: `${where}[${i}]`, message: `"${line}" is not a variable line`, fix: 'write "name=value"' });
      });
      continue;
    }
    const pool = suffix === "children" ? [...groupNames] : ctx.known;
    const kind = suffix === "children" ? "group" : "machine";
    members.forEach((member, i) => {
      if (pool.includes(member)) return;
      const meant = closest(member, pool);
      errors.push({
        path: `${where}[${i}]`,
        message: `"${member}" is not a ${kind} of this lab (Vagrant would leave it out of the inventory)`,
        fix: meant ? `did you mean "${meant}"? The ${kind}s: ${listed(pool)}` : pool.length ? `use one of the ${kind}s: ${listed(pool)}` : `this lab has no ${kind}s to list`,
      });
    });
  }
}

/** Names for a message: all of them, or the first ten and how many more. */
function listed(names: string[]): string {
  return names.length <= 12 ? names.join(", ") : `${names.slice(0, 10).join(", ")} and ${names.length - 10} more`;
}

/** Whether the guest sees the lab folder at /vagrant: the project folder, or a synced folder of "." to /vagrant. */
function sharesVagrantFolder(lab: Lab, stepPath: string): boolean {
  const machine = lab.machines.find((m) => m.provision.some((s) => s.path === stepPath));
  const own = machine?.syncedFolders.find((f) => f.guest.replace(/\/+$/, "") === "/vagrant");
  if (own) return !own.disabled;
  return lab.syncedFolder;
}

/** Why `file` is not under the lab folder (`"x" does not exist in <folder>`), or undefined when it is, or when no folder is known. */
function missingUnder(folder: string | undefined, file: string, kind: "file" | "any"): string | undefined {
  if (folder === undefined) return undefined;
  const full = path.resolve(folder, file);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(full);
  } catch {
    return `${JSON.stringify(file)} does not exist in ${folder}`;
  }
  if (kind === "file" && !stat.isFile()) return `${JSON.stringify(file)} is not a file`;
  return undefined;
}

/** A NIC's autoConfig, mtu and defaultRoute. */
function checkNicGuestSettings(nic: Nic, errors: Problem[], warnings: Problem[]): void {
  if (nic.mtu !== undefined && (nic.mtu < 68 || nic.mtu > 65535)) {
    // 68: IPv4's smallest MTU (RFC 791); 65535: the largest IPv4 packet.
    errors.push({ path: `${nic.path}.mtu`, message: `${nic.mtu} is not an MTU`, fix: "use 68 to 65535, e.g. 9000 for jumbo frames" });
  } else if (nic.mtu !== undefined && !nic.autoConfig) {
    warnings.push({ path: `${nic.path}.mtu`, message: "with autoConfig false kvm-lab leaves the NIC alone in the guest, its MTU included", fix: "set the MTU where you configure the NIC, or drop autoConfig: false" });
  }
  if (nic.defaultRoute) {
    // Vagrant keeps a DHCP default route only for DHCP public networks (virtualbox/action/network.rb
    // bridged_network_config, vagrant-libvirt create_network_interfaces.rb).
    if (nic.network.mode !== "bridged") {
      errors.push({ path: `${nic.path}.defaultRoute`, message: `Vagrant keeps a DHCP default route only on bridged NICs, and this one is ${nic.network.mode}`, fix: "remove defaultRoute" });
    } else if (nic.ip !== undefined) {
      errors.push({ path: `${nic.path}.defaultRoute`, message: "keeps the default route a DHCP server gives, and this NIC has a static ip", fix: "remove ip (DHCP) or remove defaultRoute" });
    } else if (!nic.autoConfig) {
      errors.push({ path: `${nic.path}.defaultRoute`, message: "needs Vagrant to configure the NIC, and autoConfig is false", fix: "remove one of them" });
    }
  }
}

/** NICs on one network should agree on the MTU: frames bigger than a peer's MTU are dropped. */
function checkMtusAcrossMachines(lab: Lab, warnings: Problem[]): void {
  for (const network of lab.networks) {
    const nics = lab.machines.flatMap((m) => m.nics.filter((nic) => nic.network === network));
    const mtus = new Set(nics.map((nic) => nic.mtu ?? 1500));
    if (mtus.size < 2 || !nics.some((nic) => nic.mtu !== undefined)) continue;
    const first = nics.find((nic) => nic.mtu !== undefined)!;
    const reported = new Set<string>();
    for (const nic of nics) {
      if ((nic.mtu ?? 1500) === first.mtu || !firstOfEntry(nic.path, reported)) continue;
      warnings.push({
        path: nic.mtu === undefined ? nic.path : `${nic.path}.mtu`,
        message: `MTU ${nic.mtu ?? "1500 (the default)"} on ${network.key}, where ${first.path} has ${first.mtu}: frames bigger than the smaller MTU are dropped`,
        fix: `give every NIC on ${network.key} the same mtu`,
      });
    }
  }
}

/** etcHosts lists machines by their static address on its network: the others are not in it. */
function checkEtcHosts(lab: Lab, warnings: Problem[]): void {
  const network = lab.etcHosts;
  if (!network) return;
  const unlisted = lab.machines.filter((m: Machine) => !m.nics.some((nic) => nic.network === network && nic.ip !== undefined));
  if (!unlisted.length) return;
  const names = unlisted.map((m) => m.name);
  const shown = listed(names);
  warnings.push({
    path: "etcHosts.network",
    message: `${names.length === 1 ? "machine" : "machines"} ${shown} ${names.length === 1 ? "has" : "have"} no static ip on ${network.key}, so /etc/hosts does not list ${names.length === 1 ? "it" : "them"}`,
    fix: `give ${names.length === 1 ? "it a NIC" : "each a NIC"} on ${network.key} with an ip`,
  });
}
