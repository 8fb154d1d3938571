// The lab config as a user writes it (`LabConfig`, typed by `defineLab`) and as the rest
// of kvm-lab sees it once defaults are applied and it has been validated (`Lab`).
import type { NetworkMode } from "../net/modes.js";
import type { Cidr } from "../net/ipv4.js";
import type { CheckId } from "../checks/ids.js";

export type { NetworkMode } from "../net/modes.js";

export const PROVIDERS = ["virtualbox", "libvirt"] as const;
export type Provider = (typeof PROVIDERS)[number];

export const NIC_TYPES = ["Am79C970A", "Am79C973", "82540EM", "82543GC", "82545EM", "virtio"] as const;
export type NicType = (typeof NIC_TYPES)[number];

export const PROMISC_MODES = ["deny", "allow-vms", "allow-all"] as const;
export type PromiscMode = (typeof PROMISC_MODES)[number];

export const ACCELS = ["kvm", "tcg"] as const;
export type Accel = (typeof ACCELS)[number];

export const PROTOCOLS = ["tcp", "udp"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** A named network that machines attach to. */
export interface NetworkConfig {
  mode: NetworkMode;
  /** The address block: required for hostonly, hostonlynet, intnet, natnetwork; optional for nat and bridged. */
  cidr?: string;
  /** bridged: the host device to bridge to (Vagrant would otherwise stop and ask). */
  bridge?: string;
  /** bridged on libvirt: the host device is a Linux bridge (br0) rather than a NIC (macvtap). */
  linuxBridge?: boolean;
  /** The provider-side name; default `<lab>-<network>` so two labs never share by accident. */
  name?: string;
  /** generic: the VirtualBox driver (`UDPTunnel`, `VDE`) and its properties. */
  driver?: string;
  properties?: Record<string, string>;
}

/** One network card. Adapter 1 is Vagrant's NAT adapter; these fill adapters 2 to 8. */
export interface NicConfig {
  /** A key of `networks`. */
  network?: string;
  /** An inline mode for per-NIC modes: nat, null, generic, bridged. */
  mode?: NetworkMode;
  /**
   * The adapter slot (2..8); default: the next free one.
   * @asType integer
   * @minimum 2
   * @maximum 8
   */
  adapter?: number;
  /** A static address; none means DHCP where the mode has it. */
  ip?: string;
  mac?: string;
  nicType?: NicType;
  /** Cable connected (default true). */
  cable?: boolean;
  promisc?: PromiscMode;
  /** Inline nat: the NAT's own address block (`--natnetN`). */
  cidr?: string;
  /** Inline bridged: the host device. */
  bridge?: string;
  /** Inline generic: the driver and its properties. */
  driver?: string;
  properties?: Record<string, string>;
  /** nat and natnetwork NICs: ports forwarded from the host to this NIC (natnetwork: to its fixed ip). */
  forwards?: ForwardConfig[];
  /** VirtualBox: capture this NIC's packets (`--nictraceN`) to a pcap file under the lab folder. */
  capture?: boolean;
  /** With capture: the file, relative to the lab folder (default `.kvm-lab/captures/<machine>-nic<N>.pcap`). */
  captureFile?: string;
}

export interface ForwardConfig {
  /**
   * The guest's port.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  guest: number;
  /**
   * The host's port; one host port is forwarded once in the whole lab.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  host: number;
  /** The host address to bind; default 127.0.0.1 so the lab is not exposed to the LAN. */
  hostIp?: string;
  protocol?: Protocol;
}

/** Settings every machine gets unless it sets its own. */
export interface MachineDefaults {
  box?: string;
  /**
   * @asType integer
   * @minimum 1
   */
  cpus?: number;
  /**
   * Memory in MB.
   * @asType integer
   * @minimum 1
   */
  memory?: number;
  nested?: boolean;
  /** libvirt: hardware KVM (host-passthrough CPU) or QEMU software emulation. */
  accel?: Accel;
}

export interface MachineConfig extends MachineDefaults {
  name: string;
  /** Default: the machine name. May be a fully qualified name. */
  hostname?: string;
  boxUrl?: string;
  /** libvirt: a named CPU model (kvm64 hides svm/vmx: a negative test). */
  cpuModel?: string;
  nics?: NicConfig[];
  forwards?: ForwardConfig[];
  /** Shell lines run as root on first boot, each its own provisioner. */
  provision?: string[];
}

/** A kvm-lab lab: its networks and machines (kvm-lab.config.ts, or .json). */
export interface LabConfig {
  /** JSON configs: the JSON Schema of this file, for editor completion; kvm-lab ignores it. */
  $schema?: string;
  /** The lab's name: letters, digits and hyphens; it prefixes every network name. */
  name: string;
  provider?: Provider;
  box?: string;
  boxUrl?: string;
  defaults?: MachineDefaults;
  networks?: Record<string, NetworkConfig>;
  machines: MachineConfig[];
  /** Share the project folder as /vagrant (default: VirtualBox yes, libvirt no: it needs NFS). */
  syncedFolder?: boolean;
  virtualbox?: {
    /** Extra ranges listed in /etc/vbox/networks.conf, allowing host-only networks outside 192.168.56.0/21. */
    hostOnlyRanges?: string[];
    /** The block of adapter 1's NAT (`--natnet1`; default 10.0.2.0/24), so the lab can use 10.0.2.0/24 itself. */
    natCidr?: string;
    /** NAT adapters resolve DNS through the host's resolver (`--natdnshostresolverN`; default false). */
    natDnsHostResolver?: boolean;
  };
  libvirt?: {
    /** vagrant-libvirt's management network (default 192.168.121.0/24). */
    managementNetwork?: string;
  };
  /** In-guest KVM checks (`kvm-lab check`). */
  checks?: {
    /** Checks that must pass for exit code 0 (default: cpu-flags, kvm-modules, dev-kvm, kvm-runs). */
    required?: CheckId[];
    /**
     * Per machine, for the whole SSH session (default 180).
     * @asType integer
     * @minimum 1
     */
    timeoutSeconds?: number;
  };
  /**
   * `kvm-lab up`: the time one `vagrant up` may take (default 30 minutes).
   * @asType integer
   * @minimum 1
   */
  upTimeoutMinutes?: number;
}

// ---------------------------------------------------------------------------------------
// The normalized lab: defaults applied, names resolved, slots assigned.

export interface Network {
  /** The key under `networks`, or a generated one for inline NICs. */
  key: string;
  mode: NetworkMode;
  cidr?: Cidr;
  bridge?: string;
  linuxBridge: boolean;
  /** The provider-side name (VirtualBox intnet / NAT Network name, libvirt network name). */
  providerName: string;
  driver?: string;
  properties: Record<string, string>;
}

export interface Nic {
  /** Adapter slot, 2..8. */
  slot: number;
  /** Where in the config it came from, for messages: `machines[0].nics[1]`. */
  path: string;
  network: Network;
  /** Declared under `networks` (shared) or inline on the NIC. */
  named: boolean;
  ip?: string;
  /** Normalized to lower-case colon form: 08:00:27:aa:bb:cc. */
  mac?: string;
  nicType?: NicType;
  cable: boolean;
  promisc?: PromiscMode;
  /** Ports forwarded to this NIC (nat and natnetwork NICs). */
  forwards: Forward[];
  /** The pcap file of this NIC's packets, relative to the lab folder. */
  capture?: string;
}

export interface Forward {
  guest: number;
  host: number;
  hostIp: string;
  protocol: Protocol;
}

export interface Machine {
  name: string;
  hostname: string;
  box: string;
  boxUrl?: string;
  cpus: number;
  memory: number;
  nested: boolean;
  accel: Accel;
  cpuModel?: string;
  nics: Nic[];
  forwards: Forward[];
  provision: string[];
}

export interface Lab {
  name: string;
  requiredChecks: CheckId[];
  checkTimeoutSeconds: number;
  upTimeoutMinutes: number;
  provider: Provider;
  /** The config file it came from, relative to the Vagrantfile's folder where possible. */
  source: string;
  syncedFolder: boolean;
  networks: Network[];
  machines: Machine[];
  hostOnlyRanges: Cidr[];
  /** VirtualBox: adapter 1's NAT block. */
  natCidr: Cidr;
  natDnsHostResolver: boolean;
  managementNetwork: Cidr;
}
