// What a change of each facet of a machine needs before the running machine matches the
// config, per provider, from the upstream code that applies it (the data table below).
// vagrant-libvirt 0.11.2 (lib/vagrant-libvirt/): action.rb `action_up` creates a domain
// (CreateDomain, CreateNetworkInterfaces, HandleBoxImage/CreateDomainVolume) only when
// IsCreated is false; for an existing one it runs `action_start`, which does nothing but
// provision a running domain, and for a stopped one StartDomain (action/start_domain.rb
// `call`), which rewrites memory, vCPUs, CPU mode/model/nested, disk bus, NIC model and
// graphics of the domain before it boots. `action_reload` is Provision + halt + start.
// Vagrant 2.3.4's VirtualBox provider (plugins/providers/virtualbox/action.rb): `action_up`
// imports the box (Import, ImportMaster/PrepareClone for linked clones) only when not
// Created; `action_start` of a running VM only provisions; `action_boot`, run on every
// start of a stopped VM (so by `vagrant reload` = halt + start), runs SetName, Network
// (after ClearNetworkInterfaces), ForwardPorts, SetHostname, SyncedFolders, CleanupDisks,
// Disk and Customize "pre-boot" (memory and cpus are customize lines: config.rb `memory=`, `cpus=`).
import type { Provider } from "../config/types.js";

/** What a change needs, from least to most: nothing, provision, reload, re-create. */
export const NEEDS = ["nothing", "provision", "reload", "recreate"] as const;
export type Need = (typeof NEEDS)[number];

/** The kinds of facets a machine's normalized config is cut into (src/drift/facets.ts). */
export const FACET_KINDS = [
  "box",
  "hardware",
  "cpu",
  "creation",
  "hostname",
  "root-disk",
  "disk",
  "nic",
  "forwards",
  "folders",
  "provider",
  "provision",
  "vagrant",
  "host",
] as const;
export type FacetKind = (typeof FACET_KINDS)[number];

interface NeedFact {
  need: Need;
  /** The upstream file and symbol that decide it. */
  source: string;
}

const LIBVIRT = "vagrant-libvirt 0.11.2 lib/vagrant-libvirt/";
const VBOX = "vagrant 2.3.4 plugins/providers/virtualbox/";

/** Per facet kind and provider: what a change needs, and why (upstream file and symbol). */
export const NEED_TABLE: Record<FacetKind, Record<Provider, NeedFact>> = {
  // The libvirt host of a lab with hosts: a domain lives on the one connection its machine
  // names, and Vagrant looks it up only there, so a machine cannot move: up refuses the
  // move and says how (cli/commands/up.ts refuseMoves).
  host: {
    libvirt: { need: "recreate", source: `${LIBVIRT}config.rb uri and driver.rb connection: a machine's domain is found on that one connection` },
    virtualbox: { need: "recreate", source: `${VBOX}provider.rb: one VirtualBox, this machine's (hosts are libvirt's only: config/hosts.ts)` },
  },
  box: {
    libvirt: { need: "recreate", source: `${LIBVIRT}action.rb action_up: HandleBox, HandleBoxImage, CreateDomainVolume only when IsCreated is false` },
    virtualbox: { need: "recreate", source: `${VBOX}action.rb action_up: HandleBox and Import only when not Created` },
  },
  hardware: {
    libvirt: { need: "reload", source: `${LIBVIRT}action/start_domain.rb StartDomain#call: max_memory and /domain/vcpu rewritten when a stopped domain starts` },
    virtualbox: { need: "reload", source: `${VBOX}config.rb memory=, cpus= (each a customize "pre-boot" modifyvm line); action.rb action_boot: Customize "pre-boot"` },
  },
  cpu: {
    libvirt: {
      need: "recreate",
      source:
        `${LIBVIRT}action/create_domain.rb CreateDomain#call: the domain type (accel) and the cpu features (the svm/vmx disabled for nested off) are set only at creation; ` +
        "start_domain.rb StartDomain#call rewrites mode and model on start but never adds those features back",
    },
    virtualbox: { need: "reload", source: `${VBOX}action.rb action_boot: Customize "pre-boot" (--nested-hw-virt, --cpu-profile)` },
  },
  creation: {
    libvirt: { need: "recreate", source: `${LIBVIRT}action/create_domain.rb CreateDomain#call: rng, the volume cache and the management network interface are set only when the domain is created` },
    virtualbox: { need: "recreate", source: `${VBOX}action.rb action_up: ImportMaster, PrepareClone (linked clone) only when not Created` },
  },
  hostname: {
    libvirt: { need: "recreate", source: `${LIBVIRT}action.rb action_up: SetHostname only in the branch that creates the domain` },
    virtualbox: { need: "reload", source: `${VBOX}action.rb action_boot: SetHostname` },
  },
  "root-disk": {
    libvirt: { need: "recreate", source: `${LIBVIRT}action/handle_box_image.rb HandleBoxImage (machine_virtual_size) and CreateDomainVolume: only when the domain is created` },
    virtualbox: { need: "reload", source: `${VBOX}action.rb action_boot: Disk (the primary disk grows; VirtualBox cannot shrink it)` },
  },
  disk: {
    libvirt: { need: "recreate", source: `${LIBVIRT}action/create_domain.rb CreateDomain#call (@disks: storage volumes made and attached only at creation)` },
    virtualbox: { need: "reload", source: `${VBOX}action.rb action_boot: CleanupDisks, Disk` },
  },
  nic: {
    libvirt: { need: "recreate", source: `${LIBVIRT}action.rb action_up: CreateNetworkInterfaces only when IsCreated is false (action_start and action_reload never add or change interfaces)` },
    virtualbox: { need: "reload", source: `${VBOX}action.rb action_boot: ClearNetworkInterfaces, Network` },
  },
  forwards: {
    libvirt: { need: "reload", source: `${LIBVIRT}action.rb action_start: ForwardPorts after the domain starts` },
    virtualbox: { need: "reload", source: `${VBOX}action.rb action_boot: ClearForwardedPorts, ForwardPorts` },
  },
  folders: {
    libvirt: { need: "reload", source: `${LIBVIRT}action.rb action_start: SyncedFolders, ShareFolders when a stopped domain starts` },
    virtualbox: { need: "reload", source: `${VBOX}action.rb action_boot: SyncedFolderCleanup, SyncedFolders` },
  },
  provider: {
    libvirt: { need: "reload", source: `${LIBVIRT}action/start_domain.rb StartDomain#call: disk bus, nic_model_type, graphics type and keymap rewritten on start (other libvirt.options keys may apply only at creation: create_domain.rb)` },
    virtualbox: { need: "reload", source: `${VBOX}action.rb action_boot: SetName, Customize "pre-boot" (customize lines, guest properties, NAT settings)` },
  },
  provision: {
    libvirt: { need: "provision", source: "vagrant 2.3.4 plugins/commands/provision/command.rb (vagrant provision --provision-with NAME)" },
    virtualbox: { need: "provision", source: "vagrant 2.3.4 plugins/commands/provision/command.rb (vagrant provision --provision-with NAME)" },
  },
  vagrant: {
    libvirt: { need: "nothing", source: "vagrant 2.3.4 lib/vagrant/machine.rb Machine#ssh_info: ssh (and boot) settings are read from the Vagrantfile by each vagrant command" },
    virtualbox: { need: "nothing", source: "vagrant 2.3.4 lib/vagrant/machine.rb Machine#ssh_info: ssh (and boot) settings are read from the Vagrantfile by each vagrant command" },
  },
};

/** What a change of a facet of `kind` needs on `provider`. */
export function needOf(kind: FacetKind, provider: Provider): Need {
  return NEED_TABLE[kind][provider].need;
}

/** The larger of two needs (re-create covers reload, reload covers provision when run with --provision-with). */
export function maxNeed(a: Need, b: Need): Need {
  return NEEDS.indexOf(a) >= NEEDS.indexOf(b) ? a : b;
}
