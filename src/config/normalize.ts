// Raw config -> Lab: defaults applied, network references resolved, adapter slots
// assigned. Values of the wrong type are skipped here (checkShapeFully reports them), so one
// typo yields one message, not a cascade.
import type { Problem } from "../errors.js";
import { withArticle } from "../words.js";
import { parseCidr, type Cidr } from "../net/ipv4.js";
import { isNetworkMode, MODES } from "../net/modes.js";
import { defaultSyncedFolder, DEFAULTS } from "./defaults.js";
import { CHECK_IDS, DEFAULT_REQUIRED, type CheckId } from "../checks/ids.js";
import { machinePath } from "./paths.js";
import { arr, bool, int, obj, oneOf, str, stringRecord, strings, type Raw } from "./read.js";
import { expandMachines } from "./count.js";
import { closest } from "./suggest.js";
import { normalizeHosts } from "./hosts.js";
import { boxOn, readDisks, readLibvirt, readProvision, readSsh, readSyncedFolders, readVirtualBox } from "./normalize-machine.js";
import {
  ACCELS,
  NIC_TYPES,
  PROMISC_MODES,
  PROTOCOLS,
  PROVIDERS,
  type Forward,
  type Lab,
  type Machine,
  type MachineEntry,
  type Network,
  type Nic,
  type Provider,
} from "./types.js";

/** A CIDR from the config, or undefined (the problem is recorded once, at its path). */
function cidrAt(text: string | undefined, path: string, problems: Problem[]): Cidr | undefined {
  if (text === undefined) return undefined;
  const parsed = parseCidr(text);
  if (parsed.ok) return parsed.cidr;
  problems.push({ path, message: parsed.reason });
  return undefined;
}

/** A count that must be 1 or more (CPUs, MB of memory, time bounds), checked once where it is written. */
const COUNTS = {
  cpus: { what: (n: number) => `${n} CPUs`, fix: "use 1 or more" },
  memory: { what: (n: number) => `${n} MB of memory`, fix: "use a positive number of MB, e.g. 2048" },
  timeoutSeconds: { what: (n: number) => `${n} seconds cannot bound an SSH session`, fix: `use 1 or more (default ${DEFAULTS.checkTimeoutSeconds})` },
  upTimeoutMinutes: { what: (n: number) => `${n} minutes cannot bound vagrant up`, fix: `use 1 or more (default ${DEFAULTS.upTimeoutMinutes})` },
  bootTimeoutSeconds: { what: (n: number) => `${n} seconds cannot bound a boot`, fix: "use 1 or more (Vagrant's default 300)" },
} as const;

function countAt(value: unknown, key: keyof typeof COUNTS, path: string, problems: Problem[]): number | undefined {
  const n = int(value);
  if (n === undefined) return undefined;
  if (n >= 1) return n;
  problems.push({ path: path ? `${path}.${key}` : key, message: COUNTS[key].what(n), fix: COUNTS[key].fix });
  return undefined;
}

/** The machine defaults the config sets (each value checked here, once, at `defaults.*`). */
interface Defaults {
  box?: string;
  cpus?: number;
  memory?: number;
  nested?: boolean;
  accel?: (typeof ACCELS)[number];
  bootTimeoutSeconds?: number;
}

function readDefaults(raw: Raw, problems: Problem[]): Defaults {
  return {
    box: str(raw.box),
    cpus: countAt(raw.cpus, "cpus", "defaults", problems),
    memory: countAt(raw.memory, "memory", "defaults", problems),
    nested: bool(raw.nested),
    accel: oneOf(ACCELS, raw.accel),
    bootTimeoutSeconds: countAt(raw.bootTimeoutSeconds, "bootTimeoutSeconds", "defaults", problems),
  };
}

export interface NormalizeOptions {
  /** Overrides the config's provider (`--provider`). */
  provider?: Provider;
  /** Where the config came from, for the Vagrantfile's header. */
  source?: string;
}

export function normalizeLab(raw: unknown, options: NormalizeOptions = {}): { lab: Lab; problems: Problem[] } {
  const problems: Problem[] = [];
  const config = obj(raw);
  const name = str(config.name) ?? "lab";
  const provider = options.provider ?? oneOf(PROVIDERS, config.provider) ?? DEFAULTS.provider;
  const defaults = readDefaults(obj(config.defaults), problems);

  const networks = new Map<string, Network>();
  const declared = new Set(Object.keys(obj(config.networks)));
  for (const [key, value] of Object.entries(obj(config.networks))) {
    const net = obj(value);
    const mode = isNetworkMode(net.mode) ? net.mode : undefined;
    if (!mode) continue; // reported by checkShapeFully
    networks.set(key, {
      key,
      mode,
      cidr: cidrAt(str(net.cidr), `networks.${key}.cidr`, problems),
      bridge: str(net.bridge),
      linuxBridge: bool(net.linuxBridge) ?? false,
      providerName: str(net.name) ?? `${name}-${key}`,
      driver: str(net.driver),
      properties: stringRecord(net.properties),
    });
  }

  const labFolders = readSyncedFolders(config.syncedFolders, "syncedFolders", provider);
  const instances = expandMachines(arr(config.machines));
  const machines = instances.map(({ raw, index, group, entry }) =>
    normalizeMachine(raw, machinePath(index, raw.name), group, entry, { lab: name, provider, config, defaults, networks, declared, problems, labFolders }),
  );
  const etcHostsKey = str(obj(config.etcHosts).network);
  if (etcHostsKey !== undefined && !networks.has(etcHostsKey) && !declared.has(etcHostsKey)) {
    const known = [...networks.keys()];
    const meant = closest(etcHostsKey, known);
    problems.push({
      path: "etcHosts.network",
      message: `"${etcHostsKey}" is not a network of this lab`,
      fix: meant ? `did you mean "${meant}"?` : known.length ? `use one of: ${known.join(", ")}` : "declare the network under networks",
    });
  }

  const hostOnlyRanges = arr(obj(config.virtualbox).hostOnlyRanges)
    .map((text, i) => cidrAt(str(text), `virtualbox.hostOnlyRanges[${i}]`, problems))
    .filter((c): c is Cidr => c !== undefined);

  const checks = obj(config.checks);
  const lab: Lab = {
    name,
    requiredChecks: Array.isArray(checks.required)
      ? checks.required.filter((id): id is CheckId => (CHECK_IDS as readonly string[]).includes(id as string))
      : [...DEFAULT_REQUIRED],
    checkTimeoutSeconds: countAt(checks.timeoutSeconds, "timeoutSeconds", "checks", problems) ?? DEFAULTS.checkTimeoutSeconds,
    upTimeoutMinutes: countAt(config.upTimeoutMinutes, "upTimeoutMinutes", "", problems) ?? DEFAULTS.upTimeoutMinutes,
    provider,
    source: options.source ?? "kvm-lab.config.ts",
    syncedFolder: bool(config.syncedFolder) ?? defaultSyncedFolder(provider),
    vagrantPlugins: strings(config.vagrantPlugins),
    etcHosts: etcHostsKey === undefined ? undefined : networks.get(etcHostsKey),
    networks: [...networks.values()],
    machines,
    hostOnlyRanges,
    natCidr: cidrAt(str(obj(config.virtualbox).natCidr), "virtualbox.natCidr", problems) ?? DEFAULTS.vagrantNat,
    natDnsHostResolver: bool(obj(config.virtualbox).natDnsHostResolver) ?? false,
    managementNetwork:
      cidrAt(str(obj(config.libvirt).managementNetwork), "libvirt.managementNetwork", problems) ??
      DEFAULTS.managementNetwork,
    // Sets each machine's host too (placed, or named by the machine).
    hosts: normalizeHosts(config, provider, machines, instances.map((i) => i.raw), problems),
  };
  return { lab, problems };
}

interface Context {
  lab: string;
  provider: Provider;
  labFolders: ReturnType<typeof readSyncedFolders>;
  config: Raw;
  defaults: Defaults;
  networks: Map<string, Network>;
  /** Every key under `networks`, usable or not: a NIC naming an unusable one is not a second problem. */
  declared: Set<string>;
  problems: Problem[];
}

/** A forwarded port: bound to 127.0.0.1 and TCP unless the config says otherwise. */
function normalizeForward(value: unknown): Forward {
  const f = obj(value);
  return {
    guest: int(f.guest) ?? 0,
    host: int(f.host) ?? 0,
    hostIp: str(f.hostIp) ?? DEFAULTS.forwardHostIp,
    protocol: oneOf(PROTOCOLS, f.protocol) ?? DEFAULTS.protocol,
  };
}

function normalizeMachine(raw: Raw, path: string, group: string | undefined, entry: MachineEntry, ctx: Context): Machine {
  const name = str(raw.name) ?? "";
  const { defaults, problems } = ctx;
  const rawDefaults = obj(ctx.config.defaults);
  const libvirt = readLibvirt(raw.libvirt, rawDefaults.libvirt);
  return {
    name,
    path,
    entry,
    group,
    hostname: str(raw.hostname) ?? name,
    box: boxOn(ctx.provider, raw, rawDefaults, ctx.config),
    boxUrl: str(raw.boxUrl) ?? str(ctx.config.boxUrl),
    boxVersion: str(raw.boxVersion) ?? str(rawDefaults.boxVersion),
    bootTimeoutSeconds: countAt(raw.bootTimeoutSeconds, "bootTimeoutSeconds", path, problems) ?? defaults.bootTimeoutSeconds,
    boxCheckUpdate: bool(raw.boxCheckUpdate) ?? bool(rawDefaults.boxCheckUpdate),
    cpus: countAt(raw.cpus, "cpus", path, problems) ?? defaults.cpus ?? DEFAULTS.cpus,
    memory: countAt(raw.memory, "memory", path, problems) ?? defaults.memory ?? DEFAULTS.memory,
    nested: bool(raw.nested) ?? defaults.nested ?? DEFAULTS.nested,
    accel: oneOf(ACCELS, raw.accel) ?? defaults.accel ?? DEFAULTS.accel,
    cpuModel: str(obj(raw.libvirt).cpuModel) ?? str(raw.cpuModel) ?? str(obj(rawDefaults.libvirt).cpuModel),
    autostart: bool(raw.autostart) ?? true,
    primary: bool(raw.primary) ?? false,
    upAfter: strings(raw.upAfter),
    diskSizeGiB: int(raw.diskSizeGiB) ?? int(rawDefaults.diskSizeGiB),
    disks: readDisks(raw.disks, `${path}.disks`),
    syncedFolders: [...ctx.labFolders, ...readSyncedFolders(raw.syncedFolders, `${path}.syncedFolders`, ctx.provider)],
    ssh: readSsh(raw.ssh, rawDefaults.ssh),
    libvirt,
    virtualbox: readVirtualBox(raw.virtualbox, rawDefaults.virtualbox),
    nics: normalizeNics(arr(raw.nics), `${path}.nics`, name, ctx),
    forwards: arr(raw.forwards).map(normalizeForward),
    provision: readProvision(raw.provision, name, `${path}.provision`),
  };
}

/** Assigns slots (explicit ones first, then the lowest free) and resolves each NIC's network. */
function normalizeNics(raws: unknown[], path: string, machine: string, ctx: Context): Nic[] {
  const { problems } = ctx;
  const maxNics = DEFAULTS.lastSlot - DEFAULTS.firstSlot + 1;
  if (raws.length > maxNics) {
    problems.push({
      path,
      message: `${raws.length} NICs, but a VM has 8 adapters and adapter 1 is Vagrant's NAT adapter`,
      fix: `keep at most ${maxNics} NICs (adapters 2 to 8)`,
    });
  }
  const taken = new Map<number, string>();
  const slots: (number | undefined)[] = raws.map((value, index) => {
    const slot = int(obj(value).adapter);
    if (slot === undefined) return undefined;
    const at = `${path}[${index}].adapter`;
    if (slot === 1) {
      problems.push({ path: at, message: "adapter 1 is the NAT adapter Vagrant needs for SSH", fix: "use 2 to 8" });
      return undefined;
    }
    if (slot < DEFAULTS.firstSlot || slot > DEFAULTS.lastSlot) {
      problems.push({ path: at, message: `${slot} is not an adapter slot`, fix: "use 2 to 8" });
      return undefined;
    }
    const owner = taken.get(slot);
    if (owner) {
      problems.push({ path: at, message: `adapter ${slot} is already used by ${owner}`, fix: "give each NIC its own slot" });
      return undefined;
    }
    taken.set(slot, `${path}[${index}]`);
    return slot;
  });
  let next = DEFAULTS.firstSlot;
  const free = (): number | undefined => {
    while (taken.has(next)) next++;
    return next <= DEFAULTS.lastSlot ? next++ : undefined;
  };

  const nics: Nic[] = [];
  raws.forEach((value, index) => {
    const raw = obj(value);
    const nicPath = `${path}[${index}]`;
    const network = resolveNetwork(raw, nicPath, machine, ctx);
    const hasExplicit = raw.adapter !== undefined;
    const slot = slots[index] ?? (hasExplicit ? undefined : free());
    if (!network || slot === undefined) return;
    const named = typeof raw.network === "string";
    if (!named) {
      // An inline network belongs to this one NIC: name it after the machine and slot.
      network.key = `${machine}.nic${slot}`;
      network.providerName = `${ctx.lab}-${machine}-${network.mode === "nat" ? "nat" : "nic"}${slot}`;
    }
    nics.push({
      slot,
      path: nicPath,
      network,
      named,
      ip: str(raw.ip),
      mac: str(raw.mac),
      nicType: oneOf(NIC_TYPES, raw.nicType),
      cable: bool(raw.cable) ?? DEFAULTS.cable,
      promisc: oneOf(PROMISC_MODES, raw.promisc),
      forwards: arr(raw.forwards).map(normalizeForward),
      capture: bool(raw.capture) ? (str(raw.captureFile) ?? `.kvm-lab/captures/${machine}-nic${slot}.pcap`) : undefined,
      autoConfig: bool(raw.autoConfig) ?? true,
      mtu: int(raw.mtu),
      defaultRoute: bool(raw.defaultRoute) ?? false,
    });
  });
  return nics.sort((a, b) => a.slot - b.slot);
}

function resolveNetwork(raw: Raw, path: string, machine: string, ctx: Context): Network | undefined {
  const { problems, networks } = ctx;
  const ref = str(raw.network);
  const mode = isNetworkMode(raw.mode) ? raw.mode : undefined;
  if (ref !== undefined && raw.mode !== undefined) {
    problems.push({
      path,
      message: "names both a network and a mode",
      fix: `the mode comes from networks.${ref}; remove "mode"`,
    });
    return undefined;
  }
  if (ref !== undefined) {
    const network = networks.get(ref);
    if (!network && ctx.declared.has(ref)) return undefined; // the network itself is reported
    if (!network) {
      const known = [...networks.keys()];
      problems.push({
        path: `${path}.network`,
        message: `"${ref}" is not a network of this lab`,
        fix: known.length ? `declare it under networks, or use one of: ${known.join(", ")}` : "declare it under networks",
      });
      return undefined;
    }
    for (const inlineOnly of ["cidr", "bridge", "driver", "properties"] as const) {
      if (raw[inlineOnly] !== undefined) {
        problems.push({
          path: `${path}.${inlineOnly}`,
          message: `belongs to the network, not the NIC`,
          fix: `set it on networks.${ref}.${inlineOnly}`,
        });
      }
    }
    return network;
  }
  if (raw.mode === undefined) {
    problems.push({ path, message: "has neither a network nor a mode", fix: 'add network: "<name>" or mode: "nat" | "null" | ...' });
    return undefined;
  }
  if (!mode) return undefined; // reported by checkShapeFully
  if (MODES[mode].shared && mode !== "bridged") {
    problems.push({
      path: `${path}.mode`,
      message: `${withArticle(mode)} network is shared by machines, so it must be declared once`,
      fix: `declare it under networks (for example networks: { mynet: { mode: "${mode}", cidr: ... } }) and use network: "mynet"`,
    });
    return undefined;
  }
  return {
    key: `${machine}.inline`,
    mode,
    cidr: cidrAt(str(raw.cidr), `${path}.cidr`, problems),
    bridge: str(raw.bridge),
    linuxBridge: false,
    providerName: "",
    driver: str(raw.driver),
    properties: stringRecord(raw.properties),
  };
}
