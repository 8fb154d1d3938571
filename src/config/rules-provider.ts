// Rules of the per-provider machine settings: libvirt's CPU, devices and disks, VirtualBox's
// name, guest properties and customize lines, the escape hatch's keys, and settings of one
// provider in a lab that renders for the other (ignored there: a warning).
import type { Problem } from "../errors.js";
import { cpuModeOf, HIDING_POLICIES, VIRTUALIZATION_FEATURES } from "./cpu.js";
import {
  CUSTOMIZE_COMMANDS,
  LIBVIRT_MAX_EXTRA_DISKS,
  LIBVIRT_NOT_SETTINGS,
  LIBVIRT_TYPED,
  MODEL_OF,
  MODIFYVM_TYPED,
  QEMU_KEYMAPS,
  SETTING_KEY,
  VAGRANT_LIBVIRT_SETTINGS,
  VIRTUALBOX_SETTINGS,
  VIRTUALBOX_TYPED,
} from "./provider-settings.js";
import { closest } from "./suggest.js";
import type { ExtraValue, Lab, Machine, SettingsGiven } from "./types.js";

type Block = "libvirt" | "virtualbox";

/** Problems of one rule set; warnings are deduplicated (a `defaults.*` setting is reported once). */
class Findings {
  private seen = new Set<string>();
  constructor(
    readonly errors: Problem[],
    readonly warnings: Problem[],
  ) {}

  error(problem: Problem): void {
    this.errors.push(problem);
  }

  warn(problem: Problem): void {
    const key = `${problem.path}\u0000${problem.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.warnings.push(problem);
  }
}

/** The path of a provider block's setting: the machine's own, else `defaults.<block>` where it was written there. */
function settingPath(at: string, block: Block, given: SettingsGiven, key: string): string {
  if (!given.machine.includes(key) && given.defaults.includes(key)) return `defaults.${block}.${key}`;
  return `${at}.${block}.${key}`;
}

/** An options key as a path segment: `options.video_type`, or `options["bad key"]`. */
function optionKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `options.${key}` : `options[${JSON.stringify(key)}]`;
}

/** Every rule of the provider settings, for every machine. */
export function checkProviderSettings(lab: Lab, errors: Problem[], warnings: Problem[]): void {
  const found = new Findings(errors, warnings);
  lab.machines.forEach((machine) => {
    const at = machine.path;
    checkCpu(machine, at, found);
    checkDevices(lab, machine, at, found);
    checkDisks(lab, machine, at, found);
    checkVirtualBox(machine, at, found);
    checkOptions("libvirt", machine.libvirt.options, machine.libvirt.given, at, found);
    checkOptions("virtualbox", machine.virtualbox.options, machine.virtualbox.given, at, found);
    checkIgnored(lab, machine, at, found);
  });
  checkVmNames(lab, found);
}

/**
 * The CPU mode, model and features against each other, against accel and against nested:
 * vagrant-libvirt 0.11.2 (lib/vagrant-libvirt/config.rb) sets the model to '' in every mode
 * but custom (finalize!, before validate: so validate's "cannot set cpu_model with cpu_mode
 * of 'host-passthrough'" never fires and the model is dropped), refuses features without a
 * model (validate), and drops every feature line under host-passthrough when the domain
 * starts (action/start_domain.rb); libvirt refuses host-passthrough without KVM.
 */
function checkCpu(machine: Machine, at: string, found: Findings): void {
  const { libvirt } = machine;
  const path = (key: string) => settingPath(at, "libvirt", libvirt.given, key);
  const mode = libvirt.cpuMode;
  if (mode === "host-passthrough" && machine.accel === "tcg") {
    found.error({
      path: path("cpuMode"),
      message: "host-passthrough needs KVM, and this machine runs under QEMU's software emulation (accel tcg): libvirt refuses it",
      fix: 'use "host-model" or "custom" with a cpuModel, or accel "kvm"',
    });
  }
  if (mode !== undefined && mode !== "custom" && machine.cpuModel !== undefined) {
    found.error({
      path: libvirt.given.machine.includes("cpuModel") || libvirt.given.defaults.includes("cpuModel") ? path("cpuModel") : `${at}.cpuModel`,
      message: `a named CPU model is used only in mode "custom"; with ${mode} vagrant-libvirt drops it without a word`,
      fix: `set cpuMode: "custom", or remove the model`,
    });
  }
  if (!machine.nested && mode !== undefined && mode !== "custom") {
    found.error({
      path: path("cpuMode"),
      message: `nested is off, but ${mode} cannot hide svm/vmx: vagrant-libvirt takes CPU features only with a named model${mode === "host-passthrough" ? ", and host-passthrough hands the guest the host's own" : ""}`,
      fix: 'use cpuMode "custom" (with a cpuModel; default qemu64), or leave cpuMode out',
    });
  }
  const effective = cpuModeOf(machine);
  if (libvirt.cpuFeatures.length && effective !== "custom") {
    found.error({
      path: path("cpuFeatures"),
      message: `vagrant-libvirt takes CPU features only with a named model (cpu mode "custom"), and this machine's CPU is ${effective}`,
      fix: mode === undefined ? "set cpuModel (the mode is then custom), or remove cpuFeatures" : 'set cpuMode: "custom" and a cpuModel, or remove cpuFeatures',
    });
  }
  const names = new Map<string, number>();
  libvirt.cpuFeatures.forEach((feature, index) => {
    const featurePath = `${path("cpuFeatures")}[${index}]`;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(feature.name)) {
      found.error({ path: `${featurePath}.name`, message: `"${feature.name}" is not a CPU feature name`, fix: "use a name from `virsh cpu-models` / /proc/cpuinfo flags, e.g. pdpe1gb" });
    }
    const first = names.get(feature.name.toLowerCase());
    if (first !== undefined) {
      found.error({ path: `${featurePath}.name`, message: `"${feature.name}" is already set by cpuFeatures[${first}] (libvirt refuses a feature named twice)`, fix: "keep one line per feature" });
    } else {
      names.set(feature.name.toLowerCase(), index);
    }
    const virtualization = (VIRTUALIZATION_FEATURES as readonly string[]).includes(feature.name);
    const hides = (HIDING_POLICIES as readonly string[]).includes(feature.policy);
    if (virtualization && !machine.nested && !hides) {
      found.error({
        path: `${featurePath}.policy`,
        message: `nested is off, so ${feature.name} must stay hidden from the guest, and "${feature.policy}" would give it to the guest`,
        fix: 'use "disable" (or remove the line: kvm-lab disables it), or set nested: true',
      });
    }
    if (virtualization && feature.policy === "forbid") {
      found.warn({
        path: `${featurePath}.policy`,
        message: `"forbid" makes libvirt refuse to start the machine on a host whose CPU has ${feature.name}`,
        fix: '"disable" hides it on every host',
      });
    }
    if (virtualization && machine.nested && hides) {
      found.warn({
        path: `${featurePath}.policy`,
        message: `hides ${feature.name} though nested is on: on a host with ${feature.name === "svm" ? "AMD-V" : "VT-x"} the guest cannot run KVM`,
      });
    }
  });
}

/** Keymap, graphics and the management NIC's model. */
function checkDevices(lab: Lab, machine: Machine, at: string, found: Findings): void {
  const { libvirt } = machine;
  const path = (key: string) => settingPath(at, "libvirt", libvirt.given, key);
  if (libvirt.keymap !== undefined) {
    // vagrant-libvirt writes it into the domain XML unescaped (templates/domain.xml.erb).
    if (!/^[a-z]{2,4}(-[a-z]{2,4})?$/.test(libvirt.keymap)) {
      found.error({ path: path("keymap"), message: `"${libvirt.keymap}" is not a keymap name`, fix: `use one of QEMU's: ${QEMU_KEYMAPS.join(", ")}` });
    } else if (!QEMU_KEYMAPS.includes(libvirt.keymap)) {
      const guess = closest(libvirt.keymap, QEMU_KEYMAPS);
      found.warn({ path: path("keymap"), message: `"${libvirt.keymap}" is not one of QEMU's keymaps`, fix: guess ? `did you mean "${guess}"?` : `use one of: ${QEMU_KEYMAPS.join(", ")}` });
    }
    if (libvirt.graphics === "none") {
      found.warn({ path: path("keymap"), message: 'has no console to apply to: graphics is "none"', fix: "remove keymap, or use graphics vnc or spice" });
    }
  }
  const model = libvirt.managementNicModel;
  if (model && lab.provider === "libvirt") {
    for (const nic of machine.nics) {
      // vagrant-libvirt 0.11.2 to 0.12.1 set nic_model_type on every interface when the domain
      // starts (action/start_domain.rb "Interface type"); 0.12.2 keeps an adapter's own model
      // (vagrant-libvirt 889b13d): a warning, since the machine starts either way.
      if (nic.nicType && MODEL_OF[nic.nicType] !== model) {
        found.warn({
          path: `${nic.path}.nicType`,
          message: `${nic.nicType} is a ${MODEL_OF[nic.nicType]} NIC, but vagrant-libvirt before 0.12.2 gives every NIC the model of managementNicModel (${model}) when the machine starts (start_domain.rb)`,
          fix: `remove nicType, or set managementNicModel to "${MODEL_OF[nic.nicType]}"`,
        });
      }
    }
  }
}

/**
 * Extra disks and the root disk's size: names Vagrant keeps as written (plugins/kernel_v2/
 * config/disk.rb finalize! replaces other characters; vm.rb validate refuses a name twice),
 * and VirtualBox's controller, which Vagrant picks itself (cap/configure_disks.rb).
 */
function checkDisks(lab: Lab, machine: Machine, at: string, found: Findings): void {
  if (machine.diskSizeGiB !== undefined && machine.diskSizeGiB < 1) {
    found.error({ path: `${at}.diskSizeGiB`, message: `${machine.diskSizeGiB} GiB cannot hold a root disk`, fix: "use a size above the box's own disk, or remove diskSizeGiB" });
  }
  const names = new Map<string, string>();
  if (machine.diskSizeGiB !== undefined) names.set("vagrant_primary", `${at}.diskSizeGiB (Vagrant's name for the root disk)`);
  for (const disk of machine.disks) {
    if (disk.sizeGiB < 1) found.error({ path: `${disk.path}.sizeGiB`, message: `${disk.sizeGiB} GiB is not a disk size`, fix: "use 1 or more" });
    if (!/^[A-Za-z0-9_-]+$/.test(disk.name)) {
      found.error({ path: `${disk.path}.name`, message: `"${disk.name}" cannot name a disk file: Vagrant would rename it`, fix: "use letters, digits, '-' and '_'" });
    }
    const owner = names.get(disk.name.toLowerCase());
    if (owner) found.error({ path: `${disk.path}.name`, message: `"${disk.name}" is already the name of ${owner}`, fix: "give every disk of the machine its own name" });
    else names.set(disk.name.toLowerCase(), disk.path);
    if (disk.bus !== undefined && lab.provider === "virtualbox") {
      found.warn({ path: `${disk.path}.bus`, message: "is a libvirt setting: VirtualBox puts Vagrant's disks on the box's own controller" });
    }
  }
  if (lab.provider === "libvirt" && machine.disks.length > LIBVIRT_MAX_EXTRA_DISKS) {
    found.error({ path: `${at}.disks`, message: `${machine.disks.length} disks, but vagrant-libvirt names extra disks vdb to vdz`, fix: `keep at most ${LIBVIRT_MAX_EXTRA_DISKS}` });
  }
}

/** The VM name, CPU profile, guest properties and customize lines. */
function checkVirtualBox(machine: Machine, at: string, found: Findings): void {
  const { virtualbox } = machine;
  const path = (key: string) => settingPath(at, "virtualbox", virtualbox.given, key);
  if (virtualbox.given.defaults.includes("name")) {
    found.error({ path: "defaults.virtualbox.name", message: "a VM name is one machine's: kvm-lab does not take it from the defaults", fix: "set virtualbox.name on each machine (a counted machine's takes {n})" });
  }
  if (virtualbox.name !== undefined && !virtualbox.name.trim()) {
    found.error({ path: `${at}.virtualbox.name`, message: "is empty", fix: "give the VM a name, or remove name (Vagrant then names it folder_machine_timestamp)" });
  }
  if (virtualbox.cpuProfile !== undefined && !virtualbox.cpuProfile.trim()) {
    found.error({ path: path("cpuProfile"), message: "is empty", fix: 'use "host" or a profile of `VBoxManage list cpu-profiles`' });
  }
  for (const key of Object.keys(virtualbox.guestProperties)) {
    if (!key.trim()) found.error({ path: `${path("guestProperties")}[""]`, message: "a guest property needs a name", fix: 'use a path such as "/kvm-lab/role"' });
  }
  const commands = Object.keys(CUSTOMIZE_COMMANDS);
  virtualbox.customize.forEach((call, index) => {
    const callPath = `${path("customize")}[${index}]`;
    const known = Object.hasOwn(CUSTOMIZE_COMMANDS, call.command) ? CUSTOMIZE_COMMANDS[call.command] : undefined;
    if (!known) {
      const guess = closest(call.command, commands);
      found.error({
        path: `${callPath}.command`,
        message: `"${call.command}" is not a VBoxManage command kvm-lab runs on the VM before it boots`,
        fix: guess ? `did you mean "${guess}"?` : `use one of: ${commands.join(", ")}`,
      });
      return;
    }
    call.args.forEach((arg, argIndex) => {
      if (arg === ":id") {
        found.error({ path: `${callPath}.args[${argIndex}]`, message: `"${arg}" would reach VBoxManage as text`, fix: "leave the VM out: kvm-lab puts it where VBoxManage takes it" });
      }
      // VBoxManage's getopt takes `--cpus 4`, `--cpus=4` and `--cpus:4` alike (IPRT getopt.cpp rtGetOptSearchLong).
      const option = arg.startsWith("--") ? arg.split(/[=:]/)[0] : arg;
      const field = call.command === "modifyvm" && Object.hasOwn(MODIFYVM_TYPED, option) ? MODIFYVM_TYPED[option] : undefined;
      if (field) found.error({ path: `${callPath}.args[${argIndex}]`, message: `kvm-lab sets modifyvm ${option} itself`, fix: `use ${field} instead` });
    });
    if (known.subcommands && !known.subcommands.includes(call.args[0] ?? "")) {
      found.error({
        path: `${callPath}.args`,
        message: `${call.command} takes its subcommand first and the VM after it`,
        fix: `start args with one of: ${known.subcommands.join(", ")} (e.g. ["${known.subcommands[0]}", ...]; kvm-lab puts the VM after it)`,
      });
    }
  });
}

/** Two machines with one VirtualBox VM name: VirtualBox refuses the second (action/set_name.rb VMNameExists). */
function checkVmNames(lab: Lab, found: Findings): void {
  const seen = new Map<string, string>();
  lab.machines.forEach((machine) => {
    const name = machine.virtualbox.name;
    if (name === undefined || !name.trim()) return;
    const at = machine.path;
    const owner = seen.get(name.toLowerCase());
    if (owner) {
      found.error({ path: `${at}.virtualbox.name`, message: `"${name}" is already the VM name of ${owner}`, fix: "give every machine its own VM name (a counted machine's takes {n})" });
    } else {
      seen.set(name.toLowerCase(), at);
    }
  });
}

/**
 * The escape hatch's keys: Ruby method names, not a setting kvm-lab writes itself, a plain
 * `=` setting (not an accessor a method fills, LIBVIRT_NOT_SETTINGS), known upstream (else a warning).
 */
function checkOptions(block: Block, options: Record<string, ExtraValue>, given: SettingsGiven, at: string, found: Findings): void {
  const notSettings: Record<string, string> = block === "libvirt" ? LIBVIRT_NOT_SETTINGS : {};
  const known = (block === "libvirt" ? VAGRANT_LIBVIRT_SETTINGS : VIRTUALBOX_SETTINGS).filter((key) => !Object.hasOwn(notSettings, key));
  const typed = block === "libvirt" ? LIBVIRT_TYPED : VIRTUALBOX_TYPED;
  const upstream = block === "libvirt" ? "vagrant-libvirt 0.11.2" : "Vagrant 2.3.4's VirtualBox provider";
  for (const key of Object.keys(options)) {
    const own = given.machine.includes(`options.${key}`) || !given.defaults.includes(`options.${key}`);
    const keyPath = `${own ? at : "defaults"}.${block}.${optionKey(key)}`;
    if (!SETTING_KEY.test(key)) {
      found.error({ path: keyPath, message: `"${key}" is not a setting name (${block}.<name> = ... needs a Ruby method name)`, fix: "use lower-case letters, digits and '_', not starting with a digit" });
      continue;
    }
    if (Object.hasOwn(typed, key)) {
      found.error({ path: keyPath, message: `kvm-lab sets ${block === "libvirt" ? "libvirt" : "vb"}.${key} itself`, fix: `use ${typed[key]} instead` });
      continue;
    }
    if (Object.hasOwn(notSettings, key)) {
      found.error({
        path: keyPath,
        message: `libvirt.${key} is no plain setting: vagrant-libvirt fills it through ${notSettings[key]} and reads hashes with symbol keys, which options cannot write`,
        fix: "remove it: the escape hatch writes `libvirt.<key> = value` settings only",
      });
      continue;
    }
    if (!known.includes(key)) {
      const guess = closest(key, known);
      found.warn({ path: keyPath, message: `"${key}" is not a setting of ${upstream}: Vagrant will refuse it unless a newer version knows it`, fix: guess ? `did you mean "${guess}"?` : undefined });
    }
  }
}

/** Settings of the provider the lab does not render for, ignored there: one warning per block that sets some. */
function checkIgnored(lab: Lab, machine: Machine, at: string, found: Findings): void {
  const block: Block = lab.provider === "virtualbox" ? "libvirt" : "virtualbox";
  const given = machine[block].given;
  const name = block === "libvirt" ? "libvirt" : "VirtualBox";
  const rendered = block === "libvirt" ? "VirtualBox" : "libvirt";
  // box picks the box per provider; cpuModel is reported by the machine rules (rules.ts).
  const ignored = (keys: string[]) => keys.filter((key) => key !== "box" && key !== "cpuModel");
  const own = ignored(given.machine);
  const inherited = ignored(given.defaults);
  for (const [path, keys] of [[`${at}.${block}`, own], [`defaults.${block}`, inherited]] as const) {
    if (!keys.length) continue;
    const list = keys.length === 1 ? `${keys[0]} is a ${name} setting` : `${keys.join(", ")} are ${name} settings`;
    found.warn({ path, message: `${list}; the lab renders for ${rendered}, which ignores ${keys.length === 1 ? "it" : "them"}` });
  }
}
