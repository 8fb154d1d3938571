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
}

export interface CustomizeView {
  comment: string[];
  /** Arguments after `"modifyvm", :id`. */
  lines: string[][];
}

export interface ProviderSettingView {
  comment?: string[];
  key: string;
  value: RubyValue;
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
  customize: CustomizeView[];
  provision: { name: string; inline: string }[];
}

export interface HostNetworkView {
  name: string;
  cidr: string;
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
  /** Whether the VirtualBox prelude defines host-network helpers at all. */
  hostNetworks: boolean;
  natNetworks: HostNetworkView[];
  hostOnlyNets: HostNetworkView[];
  labSettings: ProviderSettingView[];
  machines: MachineView[];
}
