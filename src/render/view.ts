// What the templates print, per provider. Values stay raw here: the templates turn each
// one into a Ruby literal through the `rb` and `opts` helpers.
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
  /** Options of `config.vm.define` (autostart, primary); empty when none differs from Vagrant's default. */
  define: OptionPairs;
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
  provision: { name: string; inline: string }[];
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
  /** VirtualBox: the capture files of NICs that capture their packets, relative to the lab folder. */
  captures?: string[];
  labSettings: ProviderSettingView[];
  machines: MachineView[];
}
