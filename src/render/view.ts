// What the templates print, per provider. Values stay raw here: the templates turn each
// one into a Ruby literal through the `rb` and `opts` helpers.
import type { ExtraValue } from "../config/types.js";
import type { RubySymbol, RubyValue } from "./ruby.js";

export type OptionPairs = [string, RubyValue][];

/**
 * One adapter or forwarded port: its comment (lines printed behind `# `) and, where Vagrant
 * declares it, the `node.vm.network` call; without `kind` the adapter is set elsewhere.
 */
export interface NetworkLineView {
  comment: string[];
  kind?: "private_network" | "public_network" | "forwarded_port";
  options?: OptionPairs;
  guard?: RubyGuard;
}

export interface CustomizeView {
  comment: string[];
  /** Arguments after `"modifyvm", :id`: literals, or a capture file the Vagrantfile resolves. */
  lines: CustomizeArg[][];
  guard?: RubyGuard;
}

/** A modifyvm argument: a literal, or a capture file relative to the Vagrantfile (`KvmLab.capture_file`). */
export type CustomizeArg = string | RubySymbol | { captureFile: string };

/**
 * A condition the Vagrantfile decides on the host at `vagrant up` time, from the helpers of
 * its prelude: printed as Ruby code, so only these fixed conditions exist (never config text).
 */
export interface RubyGuard {
  keyword: "if" | "unless";
  condition: "KvmLab.host_only_networks?" | 'KvmLab.virtualbox_at_least?("7.0")';
}

export interface ProviderSettingView {
  comment?: string[];
  key: string;
  value: RubyValue;
}

/** A provider method call with keyword options: `libvirt.cpu_feature name: "svm", policy: "disable"`. */
export interface ProviderCallView {
  comment?: string[];
  method: string;
  /** Positional arguments before the options (`libvirt.storage :file, size: ...`). */
  args?: RubyValue[];
  options: OptionPairs;
}

/** One `vb.customize [...]` line whose arguments name the VM themselves (a RubySymbol `:id` where VBoxManage takes it). */
export interface VBoxCallView {
  comment: string[];
  args: CustomizeArg[];
}

/** A Vagrant disk (`node.vm.disk :disk, ...`): VirtualBox's extra disks and its root disk's size. */
export interface VmDiskView {
  comment: string[];
  options: OptionPairs;
}

/** `synced_folder host, guest, options` of a machine (or, for a lab-wide /vagrant, of the config). */
export interface FolderLineView {
  host: string;
  guest: string;
  options: OptionPairs;
}

/** What a machine shares and how it is reached (src/render/folders.ts), the same on both providers. */
export interface AccessView {
  /** `config.vm.define name, <these>`: autostart, primary. */
  define: OptionPairs;
  boxVersion?: string;
  /** `node.vm.boot_timeout`, when the config sets it. */
  bootTimeout?: number;
  /** `node.vm.box_check_update`, when the config sets it (boxed: false must still print). */
  boxCheckUpdate?: { value: boolean };
  folders: FolderLineView[];
  /** `node.ssh.<key> = <value>`. */
  ssh: ProviderSettingView[];
}

export interface MachineView {
  partial: string;
  access: AccessView;
  name: string;
  hostname: string;
  box: string;
  boxUrl?: string;
  networks: NetworkLineView[];
  /** The sentence after "# Networks." naming what adapter 1 is on this provider. */
  networksHeading: string;
  forwards: NetworkLineView[];
  settings: ProviderSettingView[];
  /** libvirt: calls after the settings (CPU features). */
  calls?: ProviderCallView[];
  customize: CustomizeView[];
  /** VirtualBox: VBoxManage calls after the modifyvm groups (guest properties, the config's customize). */
  vboxCalls?: VBoxCallView[];
  /** VirtualBox: Vagrant's disks (`node.vm.disk`). */
  vmDisks?: VmDiskView[];
  /** VirtualBox: MAC and mode pairs for the guest script that sets up the NICs Vagrant does not. */
  guestNics?: string[];
  /** kvm-lab's own shell steps (/etc/hosts, MTUs), before the config's. */
  builtinSteps: BuiltinStepView[];
  provision: ProvisionView[];
}

/** A setting of a provisioner's block: `ansible.playbook = "site.yml"`; `hash` for a hash value. */
export interface ProvisionSettingView {
  key: string;
  value: RubyValue;
  hash: Record<string, ExtraValue> | undefined;
  /** Ansible's groups: the lab's (`KvmLab.inventory_groups`), with `hash` the step's own merged in. */
  labGroups: boolean;
}

/**
 * One provisioning step: `node.vm.provision <first>, <options>`, then a block setting
 * `settings` when there are any (a step with a hash value), else everything on the call.
 */
export interface ProvisionView {
  comment: string[];
  /** "shell" (the step's name is then the shell option `name:`) or the step's name (with `type:` in the options). */
  first: string;
  options: OptionPairs;
  /** The block's variable (`ansible`), or undefined for a one-line step. */
  variable: string | undefined;
  settings: ProvisionSettingView[];
}

/**
 * A shell step of kvm-lab's own: a script of the Vagrantfile's KvmLab module run with
 * literal arguments. `script` is printed as Ruby code, so only these fixed names exist.
 */
export interface BuiltinStepView {
  comment: string[];
  name: string;
  script: GuestScriptMethod;
  /** The arguments, a line of the Vagrantfile each (a NIC's MAC and MTU). */
  args: string[][];
  /** Or a constant of the KvmLab module holding them (the same for every machine). */
  argsConstant: "ETC_HOSTS_ARGS" | undefined;
}

export type GuestScriptMethod = "etc_hosts_script" | "set_mtu_script";

/** A script of templates/ embedded in the Vagrantfile's KvmLab module, returned by `method`. */
export interface GuestScriptView {
  method: GuestScriptMethod;
  comment: string[];
  text: string;
}

/** A NAT Network the VirtualBox Vagrantfile's trigger creates when missing. */
export interface NatNetworkView {
  name: string;
  cidr: string;
  /** `--port-forward-4` rules of the NICs on it. */
  forwards: string[];
}

/** A VirtualBox 7 host-only network (macOS) the trigger creates when missing. */
export interface HostOnlyNetView {
  name: string;
  netmask: string;
  lower: string;
  upper: string;
}

export interface LabView extends LabAccessView {
  labPartial: string;
  labName: string;
  source: string;
  provider: string;
  syncedFolder: boolean;
  natNetworks: NatNetworkView[];
  hostOnlyNets: HostOnlyNetView[];
  /** VirtualBox: templates/guest-nics.sh, embedded when some machine needs it. */
  guestNicScript?: string;
  /** Scripts kvm-lab's own shell steps run (templates/etc-hosts.sh, guest-mtu.sh), embedded when some machine needs them. */
  guestScripts: GuestScriptView[];
  /** The /etc/hosts step's arguments (etcHosts), a line each: the lab's name, then each machine's address, hostname and name. */
  etcHostsArgs: string[][];
  /** The lab's Ansible groups, written once in the KvmLab module when some step runs Ansible (src/config/inventory.ts). */
  inventoryGroups: Record<string, string[]> | undefined;
  /** The Vagrantfile has a KvmLab module (libvirt: only for guest scripts or inventory groups). */
  helpersModule: boolean;
  /** VirtualBox: the capture files of NICs that capture their packets, relative to the lab folder. */
  captures?: string[];
  labSettings: ProviderSettingView[];
  /** VirtualBox: some machine has Vagrant disks, which Vagrant before 2.4 makes only with its experimental "disks" feature. */
  vagrantDisks?: boolean;
  machines: MachineView[];
}

/** The top of the Vagrantfile: the lab's plugins and its /vagrant (src/render/folders.ts labAccessView). */
export interface LabAccessView {
  /** `config.vagrant.plugins`: the plugins the lab needs. */
  vagrantPlugins: string[];
  /** The project folder is shared and must be written out (src/render/folders.ts projectFolderOf "explicit"). */
  writeProjectFolder: boolean;
  /** Every machine has a /vagrant folder of its own: the top has no /vagrant line. */
  vagrantPerMachine: boolean;
  /** The lab's own /vagrant line, in place of the project folder. */
  vagrantFolder?: FolderLineView;
}
