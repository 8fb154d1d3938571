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
  /** Configure the NIC in the guest (default true); false leaves it to you (OVS, Neutron). */
  autoConfig?: boolean;
  /**
   * The guest interface's MTU (libvirt: the network's too).
   * @asType integer
   * @minimum 68
   * @maximum 65535
   */
  mtu?: number;
  /** bridged with DHCP: keep the default route the DHCP server gives (Vagrant's use_dhcp_assigned_default_route). */
  defaultRoute?: boolean;
  /** nat and natnetwork NICs: ports forwarded from the host to this NIC (natnetwork: to its fixed ip). */
  forwards?: ForwardConfig[];
  /** VirtualBox: capture this NIC's packets (`--nictraceN`) to a pcap file under the lab folder. */
  capture?: boolean;
  /** With capture: the file, relative to the lab folder (default `.kvm-lab/captures/<machine>-nic<N>.pcap`). */
  captureFile?: string;
}

/**
 * A value of the escape hatch (`libvirt.options`, `virtualbox.options`): printed as a Ruby
 * literal (string, number, true/false, array, hash with string keys), never as Ruby code.
 */
export type ExtraValue = string | number | boolean | ExtraValue[] | { [key: string]: ExtraValue };

export const SYNCED_FOLDER_TYPES = ["virtualbox", "nfs", "rsync", "smb", "9p", "virtiofs"] as const;
export type SyncedFolderType = (typeof SYNCED_FOLDER_TYPES)[number];

/** A folder of the host shared with the guest (`config.vm.synced_folder`). */
export interface SyncedFolderConfig {
  /** The host folder, relative to the lab folder (the Vagrantfile's). */
  host: string;
  /** The absolute path in the guest. */
  guest: string;
  /**
   * How it is shared; default: VirtualBox's shared folders on virtualbox; on libvirt the first
   * type the host can serve of rsync, nfs and virtiofs (all of Vagrant's priority 5; that order
   * is Vagrant 2.3.4's unstable sort with vagrant-libvirt 0.11.2: name the type to be sure).
   * 9p and virtiofs are libvirt's, virtualbox is VirtualBox's; rsync copies at `vagrant up`
   * and `vagrant reload` (and `vagrant rsync`), it does not share.
   */
  type?: SyncedFolderType;
  /** Only when the lab renders for this provider (a folder per provider: virtiofs on libvirt, VirtualBox's own there). */
  provider?: Provider;
  /** Turn off a folder, `/vagrant` included. */
  disabled?: boolean;
  /** Create the host folder when it is missing (default false: Vagrant stops instead). */
  create?: boolean;
  /** The guest owner and group of the files (virtualbox, rsync, smb). */
  owner?: string;
  group?: string;
  /** Mount options passed to the guest's mount, one per entry (`mount_options`; 9p and virtiofs: joined into `mount_opts`). */
  mountOptions?: string[];
  /**
   * nfs: the NFS version (default Vagrant's: 3).
   * @asType integer
   * @minimum 2
   * @maximum 4
   */
  nfsVersion?: number;
  /** nfs: UDP instead of TCP (default Vagrant's: UDP for versions 2 and 3, TCP for 4). */
  nfsUdp?: boolean;
  /** rsync: paths not copied (`rsync__exclude`), e.g. [".git/"]. */
  rsyncExclude?: string[];
  /** rsync: the arguments rsync runs with (`rsync__args`; default Vagrant's). */
  rsyncArgs?: string[];
  /** smb: the host user the guest mounts the share as. */
  smbUsername?: string;
  /** 9p: how guest file ownership maps to the host (`accessmode`; default "passthrough"). */
  accessMode?: "passthrough" | "mapped" | "squash";
}

/**
 * A disk beside the box's own: blank, the guest formats it. VirtualBox: Vagrant's disk
 * feature (`node.vm.disk`; Vagrant before 2.4 needs its experimental "disks" flag, which
 * the Vagrantfile turns on itself); libvirt: `libvirt.storage :file`.
 */
export interface DiskConfig {
  /**
   * A name unique on the machine (default `disk<N>`), of letters, digits, `-` and `_`: the
   * VirtualBox medium's file name (libvirt names the volume after the domain and device).
   */
  name?: string;
  /**
   * The size in GiB.
   * @asType integer
   * @minimum 1
   */
  sizeGiB: number;
  /** libvirt: the bus (default virtio: the guest sees /dev/vdb, vdc, ...); VirtualBox uses the box's controller. */
  bus?: DiskBus;
}

export const DISK_BUSES = ["virtio", "scsi", "sata", "ide"] as const;
export type DiskBus = (typeof DISK_BUSES)[number];

export const RUN_WHEN = ["once", "always", "never"] as const;
export type RunWhen = (typeof RUN_WHEN)[number];

/** A shell script run in the guest (`node.vm.provision "shell"`). Exactly one of inline or path. */
export interface ShellStep {
  type: "shell";
  /** A name shown by Vagrant and usable with `vagrant provision --provision-with`. */
  name?: string;
  /** The script's text. */
  inline?: string;
  /** A script file on the host, relative to the lab folder. */
  path?: string;
  /** Arguments, each passed as one word, as written (`$`, backquotes and backslashes included). */
  args?: string[];
  /** Environment variables of the script; values as written. */
  env?: Record<string, string>;
  /** Run as root (default true). */
  privileged?: boolean;
  /** once (default): on the first `vagrant up` and `vagrant provision`; always: on every up and reload too; never: only when named. */
  run?: RunWhen;
}

/** A file or folder copied from the host into the guest (`node.vm.provision "file"`), as the SSH user. */
export interface FileStep {
  type: "file";
  name?: string;
  /** On the host, relative to the lab folder. */
  source: string;
  /** In the guest; a path the SSH user can write (its home, /tmp). */
  destination: string;
  run?: RunWhen;
}

/**
 * An Ansible playbook: `ansible` runs it from the host over SSH, `ansible_local` inside the
 * guest. The inventory is made from the lab: every machine, a group per counted machine
 * entry and a group per network (machines on it), plus `groups` of your own.
 */
export interface AnsibleStep {
  type: "ansible" | "ansible_local";
  name?: string;
  /** The playbook, relative to the lab folder (ansible_local: to /vagrant, or `provisioningPath`). */
  playbook: string;
  /** ansible_local: the guest folder holding the playbook (default /vagrant). */
  provisioningPath?: string;
  /** Extra variables (`extra_vars`). */
  extraVars?: Record<string, ExtraValue>;
  /** More inventory groups: name -> machine names. */
  groups?: Record<string, string[]>;
  /** Hosts to limit the run to (default: this machine). */
  limit?: string;
  /** ansible_local: install Ansible in the guest when it is missing (default false: the box should have it). */
  install?: boolean;
  /** `-v` .. `-vvvv` (`verbose`: "v", "vv", ...). */
  verbose?: string;
  run?: RunWhen;
}

/** A reboot of the guest between provisioning steps (Vagrant's shell provisioner `reboot: true`). */
export interface RebootStep {
  type: "reboot";
  name?: string;
  run?: RunWhen;
}

/** A provisioning step; a plain string is an inline shell script run as root on first boot. */
export type ProvisionStep = string | ShellStep | FileStep | AnsibleStep | RebootStep;

/** SSH settings of Vagrant (`config.ssh`). */
export interface SshConfig {
  /** The user Vagrant logs in as (default the box's, usually vagrant). */
  username?: string;
  /** A password to log in with (boxes without Vagrant's key); it is written into the Vagrantfile. */
  password?: string;
  /** Replace Vagrant's insecure key with a new one on first boot (default true). */
  insertKey?: boolean;
  /** Private key files, relative to the lab folder or absolute. */
  privateKeyPath?: string[];
  /** Forward the host's SSH agent (default false). */
  forwardAgent?: boolean;
}

export const CPU_MODES = ["host-model", "host-passthrough", "custom"] as const;
export type CpuMode = (typeof CPU_MODES)[number];

export const CPU_FEATURE_POLICIES = ["force", "require", "optional", "disable", "forbid"] as const;
export type CpuFeaturePolicy = (typeof CPU_FEATURE_POLICIES)[number];

export const DISK_CACHES = ["default", "none", "writethrough", "writeback", "directsync", "unsafe"] as const;
export type DiskCache = (typeof DISK_CACHES)[number];

export const GRAPHICS = ["none", "vnc", "spice"] as const;
export type Graphics = (typeof GRAPHICS)[number];

export const LIBVIRT_NIC_MODELS = ["virtio", "e1000", "e1000e", "rtl8139", "pcnet", "ne2k_pci"] as const;
export type LibvirtNicModel = (typeof LIBVIRT_NIC_MODELS)[number];

/** libvirt settings of a machine (vagrant-libvirt's `libvirt.*`); used when the lab renders for libvirt. */
export interface LibvirtMachineConfig {
  /** The box on libvirt, when it differs from `box`. */
  box?: string;
  /**
   * The CPU mode (default: host-passthrough under KVM, host-model under TCG, custom with
   * cpuModel or with nested off). host-passthrough needs KVM; nested off needs custom
   * (only a named model can have svm/vmx disabled).
   */
  cpuMode?: CpuMode;
  /** The named model of `custom` (e.g. "Skylake-Server", "EPYC"; default qemu64, vagrant-libvirt's). */
  cpuModel?: string;
  /** CPU features on top of a named model (custom mode only): `{ name: "pdpe1gb", policy: "require" }`. */
  cpuFeatures?: { name: string; policy: CpuFeaturePolicy }[];
  /** The root disk's bus (default virtio). */
  diskBus?: DiskBus;
  /** The root and extra disks' cache mode (default libvirt's). */
  diskCache?: DiskCache;
  /**
   * The model of the management NIC (adapter 1; default virtio): `nic_model_type`, which is
   * also the model of every NIC without a nicType; vagrant-libvirt before 0.12.2 sets it on
   * every NIC when the machine starts, a nicType included (warned about).
   */
  managementNicModel?: LibvirtNicModel;
  /** Graphics console (default vnc, vagrant-libvirt's); none for headless labs. */
  graphics?: Graphics;
  /** The graphics console's keymap, one of QEMU's (default en-us). */
  keymap?: string;
  /** A virtio RNG device fed from the host's /dev/random (guests get entropy early; vagrant-libvirt domain.xml.erb). */
  rng?: boolean;
  /**
   * Escape hatch: other vagrant-libvirt settings, `libvirt.<key> = <value>` with the value
   * as a Ruby literal; keys kvm-lab sets from a field above are refused, unknown keys warned about.
   */
  options?: Record<string, ExtraValue>;
}

/**
 * A VBoxManage call of the escape hatch, run before the VM boots. kvm-lab puts the VM where
 * VBoxManage takes it: right after the command (modifyvm, storagectl, storageattach,
 * setextradata, bandwidthctl, modifynvram), or after the subcommand, which is then the
 * first of `args` (guestproperty set|unset|delete, sharedfolder add|remove). Other commands
 * are refused.
 */
export interface VBoxManageCall {
  command: string;
  /** The arguments, without the VM. */
  args: string[];
}

/** VirtualBox settings of a machine (Vagrant's `vb.*`); used when the lab renders for VirtualBox. */
export interface VirtualBoxMachineConfig {
  /** The box on VirtualBox, when it differs from `box`. */
  box?: string;
  /** The VM's name in VirtualBox, unique in the lab (default Vagrant's: folder_machine_timestamp); with `count`, `{n}` in it is the number (else appended). */
  name?: string;
  /** Import the box once and make each VM a linked clone of it (faster, smaller). */
  linkedClone?: boolean;
  /** Guest properties set before boot (`VBoxManage guestproperty set`). */
  guestProperties?: Record<string, string>;
  /** The CPU profile (`--cpu-profile`): "host" or a named one such as "Intel Core i7-6700K". */
  cpuProfile?: string;
  /** Escape hatch: other VirtualBox provider settings, `vb.<key> = <value>` as Ruby literals; keys set from a field above are refused, unknown keys warned about. */
  options?: Record<string, ExtraValue>;
  /** Escape hatch: VBoxManage calls on the VM before it boots (`vb.customize`). */
  customize?: VBoxManageCall[];
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
  /**
   * Seconds Vagrant waits for the machine to boot and answer SSH (`boot_timeout`; Vagrant's
   * default 300): raise it for slow boots, QEMU software emulation (accel "tcg") above all.
   * @asType integer
   * @minimum 1
   */
  bootTimeoutSeconds?: number;
  /** Ask the box's catalog for a newer version on each `vagrant up` (`box_check_update`; Vagrant's default true). */
  boxCheckUpdate?: boolean;
  /** The box's version constraint (`box_version`, e.g. ">= 1.2, < 2"). */
  boxVersion?: string;
  /**
   * The root disk's size in GiB, when bigger than the box's (the guest grows its partition itself).
   * @asType integer
   * @minimum 1
   */
  diskSizeGiB?: number;
  /** SSH settings; a machine's own are merged over these. */
  ssh?: SshConfig;
  libvirt?: LibvirtMachineConfig;
  virtualbox?: VirtualBoxMachineConfig;
}

export interface MachineConfig extends MachineDefaults {
  /** The name; with `count`, `{n}` in it is the machine's number (without, the number is appended). */
  name: string;
  /**
   * This entry stands for `count` machines, numbered from 1 (or `countFrom`): names and
   * hostnames take the number at `{n}`, static IPs, MACs and forwarded host ports go up by
   * one per machine from the values written.
   * @asType integer
   * @minimum 1
   * @maximum 1000
   */
  count?: number;
  /**
   * With `count`: the number of the entry's first machine (default 1; 0 for `mon0`, `mon1`, ...).
   * @asType integer
   * @minimum 0
   */
  countFrom?: number;
  /** Default: the machine name. May be a fully qualified name; with `count`, `{n}` is the number. */
  hostname?: string;
  /** Started by `vagrant up` without naming it (default true). */
  autostart?: boolean;
  /** The machine `vagrant ssh` picks when none is named. */
  primary?: boolean;
  /** Machines that must be up before this one is started (libvirt starts the rest in parallel). */
  upAfter?: string[];
  /** Blank disks beside the root disk. */
  disks?: DiskConfig[];
  /** Folders shared with this machine, on top of the lab's `syncedFolders`. */
  syncedFolders?: SyncedFolderConfig[];
  boxUrl?: string;
  /** libvirt: a named CPU model (kvm64 hides svm/vmx: a negative test). */
  cpuModel?: string;
  nics?: NicConfig[];
  forwards?: ForwardConfig[];
  /** Provisioning steps in order: shell lines (as root, on first boot) or steps of a type. */
  provision?: ProvisionStep[];
  /** libvirt: the key under `hosts` this machine runs on (default: kvm-lab places it). */
  host?: string;
}

/** A libvirt host a lab's machines can run on (`hosts.<name>`). */
export interface HostConfig {
  /** libvirt's connection URI: `qemu:///system` for this machine, `qemu+ssh://user@host/system` for another (vagrant-libvirt's `uri`). */
  uri: string;
  /**
   * vCPUs the host offers the lab.
   * @asType integer
   * @minimum 1
   */
  cpus: number;
  /**
   * Memory the host offers the lab, in MiB.
   * @asType integer
   * @minimum 1
   */
  memory: number;
  /** The address the other hosts reach this one at, for the tunnels of networks that span hosts (default: the URI's host; for a local URI, this machine's address toward the other hosts). */
  address?: string;
  /**
   * The MTU of the LAN between the hosts (default 1500); a network that spans hosts carries frames 50 bytes smaller (VXLAN's header).
   * @asType integer
   * @minimum 1280
   * @maximum 9216
   */
  lanMtu?: number;
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
  /** Share the project folder as /vagrant (default: VirtualBox yes; libvirt no: Vagrant would use rsync's one-way copy or NFS there, whichever the host has). */
  syncedFolder?: boolean;
  /** Folders shared with every machine. */
  syncedFolders?: SyncedFolderConfig[];
  /**
   * Vagrant plugins the lab needs (`config.vagrant.plugins`). Vagrant checks them on every
   * command; in a terminal it asks to install missing ones from rubygems.org, while kvm-lab
   * (no terminal) stops with the `vagrant plugin install` line to run.
   */
  vagrantPlugins?: string[];
  /** Every machine's /etc/hosts lists every machine by its static address on this network (what vagrant-hostmanager is installed for). */
  etcHosts?: { network: string };
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
  /**
   * libvirt hosts the machines run on, by name (default: this machine alone). A machine
   * names its host (`host`) or kvm-lab places it by memory and vCPUs; a network used by
   * machines on several hosts is joined between them by a VXLAN tunnel.
   */
  hosts?: Record<string, HostConfig>;
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
  /** Vagrant configures the NIC in the guest (false: left alone). */
  autoConfig: boolean;
  mtu?: number;
  /** bridged with DHCP: the DHCP server's default route is kept. */
  defaultRoute: boolean;
}

export interface Forward {
  guest: number;
  host: number;
  hostIp: string;
  protocol: Protocol;
}

export interface SyncedFolder {
  host: string;
  guest: string;
  type?: SyncedFolderType;
  disabled: boolean;
  create: boolean;
  owner?: string;
  group?: string;
  mountOptions: string[];
  nfsVersion?: number;
  nfsUdp?: boolean;
  rsyncExclude: string[];
  rsyncArgs?: string[];
  smbUsername?: string;
  accessMode?: "passthrough" | "mapped" | "squash";
  /** Where it came from: `syncedFolders[0]` or `machines[1] (web).syncedFolders[0]`. */
  path: string;
}

export interface Disk {
  name: string;
  sizeGiB: number;
  /** libvirt's bus when the config names one (default DEFAULTS.diskBus); VirtualBox has no choice. */
  bus?: DiskBus;
  /** Where it came from: `machines[0] (web).disks[1]`. */
  path: string;
}

/**
 * Where a provider block's settings were written, for messages: the keys of the machine's
 * own block and of `defaults.<provider>` (escape-hatch options as `options.<key>`).
 */
export interface SettingsGiven {
  machine: string[];
  defaults: string[];
}

/**
 * A provisioning step with its defaults applied; `name` is always set (Vagrant shows it).
 * `path` is where it came from, for messages: `machines[1] (web).provision[0]`.
 */
export type Provision =
  | {
      type: "shell";
      name: string;
      path: string;
      inline?: string;
      /** The script file (the config's `path`), relative to the lab folder, or a URL. */
      script?: string;
      args: string[];
      env: Record<string, string>;
      privileged: boolean;
      run: RunWhen;
    }
  | { type: "file"; name: string; path: string; source: string; destination: string; run: RunWhen }
  | {
      type: "ansible" | "ansible_local";
      name: string;
      path: string;
      playbook: string;
      provisioningPath?: string;
      extraVars: Record<string, ExtraValue>;
      groups: Record<string, string[]>;
      limit?: string;
      install: boolean;
      verbose?: string;
      run: RunWhen;
    }
  | { type: "reboot"; name: string; path: string; run: RunWhen };

export interface LibvirtMachine {
  cpuMode?: CpuMode;
  cpuFeatures: { name: string; policy: CpuFeaturePolicy }[];
  diskBus?: DiskBus;
  diskCache?: DiskCache;
  managementNicModel?: LibvirtNicModel;
  graphics?: Graphics;
  keymap?: string;
  rng: boolean;
  options: Record<string, ExtraValue>;
  given: SettingsGiven;
}

export interface VirtualBoxMachine {
  name?: string;
  linkedClone: boolean;
  guestProperties: Record<string, string>;
  cpuProfile?: string;
  options: Record<string, ExtraValue>;
  customize: VBoxManageCall[];
  given: SettingsGiven;
}

/** The config entry a machine comes from, as written (a counted entry stands for several machines). */
export interface MachineEntry {
  /** Its index under `machines`. */
  index: number;
  /** The name as written: `compute{n}`. */
  name: string;
  /** The hostname as written, when set. */
  hostname?: string;
  /** `count` as written, when it is a whole number (the rules report one below 1). */
  count?: number;
  /** This machine's place within the entry, from 1 (1 unless counted). */
  n: number;
  /** `countFrom` as written, when it is a whole number. */
  countFrom?: number;
  /** The number the entry's first machine takes at `{n}` (`countFrom`, default 1). */
  first: number;
}

export interface Machine {
  name: string;
  /** Where it is in the config, for messages: `machines[1] (web)`; a counted entry's machine 3: `machines[2] (compute3)`. */
  path: string;
  /** The config entry it comes from. */
  entry: MachineEntry;
  /** A counted entry's name pattern (`compute{n}`) with the number taken out (`compute`): an inventory group. */
  group?: string;
  hostname: string;
  /** The box on the lab's provider (its own box when the machine names one for the provider). */
  box: string;
  boxUrl?: string;
  boxVersion?: string;
  bootTimeoutSeconds?: number;
  boxCheckUpdate?: boolean;
  cpus: number;
  memory: number;
  nested: boolean;
  accel: Accel;
  /** libvirt: the named CPU model (`cpuModel`, or `libvirt.cpuModel`). */
  cpuModel?: string;
  autostart: boolean;
  primary: boolean;
  upAfter: string[];
  diskSizeGiB?: number;
  disks: Disk[];
  /** The lab's synced folders, then the machine's own. */
  syncedFolders: SyncedFolder[];
  ssh: SshConfig;
  libvirt: LibvirtMachine;
  virtualbox: VirtualBoxMachine;
  nics: Nic[];
  forwards: Forward[];
  provision: Provision[];
  /** The libvirt host it runs on, when the lab has `hosts`. */
  host?: MachineHost;
}

/** Where a machine runs in a lab with hosts. */
export interface MachineHost {
  /** The key under `hosts`. */
  name: string;
  /** That host's libvirt URI. */
  uri: string;
  /** Placed by kvm-lab (true) or named by the machine's `host` (false). */
  placed: boolean;
}

/** A libvirt host of the lab (`hosts.<name>`), its defaults applied. */
export interface LabHost {
  name: string;
  /** Where it is in the config: `hosts.b`. */
  path: string;
  uri: string;
  cpus: number;
  /** MiB. */
  memory: number;
  /** Set by the config; else found when the tunnels are made. */
  address?: string;
  lanMtu: number;
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
  vagrantPlugins: string[];
  /** The network whose static addresses every machine's /etc/hosts lists. */
  etcHosts?: Network;
  networks: Network[];
  machines: Machine[];
  hostOnlyRanges: Cidr[];
  /** VirtualBox: adapter 1's NAT block. */
  natCidr: Cidr;
  natDnsHostResolver: boolean;
  managementNetwork: Cidr;
  /** libvirt hosts, in config order; empty: every machine on this machine's libvirt. */
  hosts: LabHost[];
}
