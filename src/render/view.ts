// What the templates print, per provider. Values stay raw here: the templates turn each
// one into a Ruby literal through the `rb` and `opts` helpers.
import type { ExtraValue } from "../config/types.js";
import type { RubyValue } from "./ruby.js";

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
export type CustomizeArg = string | { captureFile: string };

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
  options: OptionPairs;
}

export interface MachineView {
  partial: string;
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

export interface LabView {
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
  /** VirtualBox: the capture files of NICs that capture their packets, relative to the lab folder. */
  captures?: string[];
  labSettings: ProviderSettingView[];
  machines: MachineView[];
}
