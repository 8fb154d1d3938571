// The machine settings beyond CPUs, memory and NICs, with their defaults: synced folders,
// disks, provisioning steps, SSH, and the per-provider blocks (a machine's own values over
// `defaults.*`). Wrong types are skipped here: checkShapeFully reports them.
import type { ExtraValue } from "./types.js";
import {
  CPU_FEATURE_POLICIES,
  CPU_MODES,
  DISK_BUSES,
  DISK_CACHES,
  GRAPHICS,
  LIBVIRT_NIC_MODELS,
  PROVIDERS,
  RUN_WHEN,
  SYNCED_FOLDER_TYPES,
  type Disk,
  type LibvirtMachine,
  type Provider,
  type Provision,
  type SshConfig,
  type SyncedFolder,
  type VirtualBoxMachine,
} from "./types.js";
import { arr, bool, int, obj, oneOf, str, stringRecord, strings, type Raw } from "./read.js";

/** Synced folders at `path` (`syncedFolders` or `machines[0] (web).syncedFolders`) on `provider`. */
export function readSyncedFolders(value: unknown, path: string, provider: Provider): SyncedFolder[] {
  return arr(value).flatMap((item, index) => {
    const raw = obj(item);
    const host = str(raw.host);
    const guest = str(raw.guest);
    if (host === undefined || guest === undefined) return []; // required: reported by the shape check
    // A folder of the other provider's (`provider: "libvirt"` on a VirtualBox render) is not the machine's.
    const only = oneOf(PROVIDERS, raw.provider);
    if (only !== undefined && only !== provider) return [];
    return [
      {
        host,
        guest,
        type: oneOf(SYNCED_FOLDER_TYPES, raw.type),
        disabled: bool(raw.disabled) ?? false,
        create: bool(raw.create) ?? false,
        owner: str(raw.owner),
        group: str(raw.group),
        mountOptions: strings(raw.mountOptions),
        nfsVersion: int(raw.nfsVersion),
        nfsUdp: bool(raw.nfsUdp),
        rsyncExclude: strings(raw.rsyncExclude),
        rsyncArgs: Array.isArray(raw.rsyncArgs) ? strings(raw.rsyncArgs) : undefined,
        smbUsername: str(raw.smbUsername),
        accessMode: oneOf(["passthrough", "mapped", "squash"] as const, raw.accessMode),
        path: `${path}[${index}]`,
      },
    ];
  });
}

/** A machine's extra disks, at `path` (`machines[0] (web).disks`). */
export function readDisks(value: unknown, path: string): Disk[] {
  return arr(value).flatMap((item, index) => {
    const raw = obj(item);
    const sizeGiB = int(raw.sizeGiB);
    if (sizeGiB === undefined) return [];
    return [{ name: str(raw.name) ?? `disk${index + 1}`, sizeGiB, bus: oneOf(DISK_BUSES, raw.bus), path: `${path}[${index}]` }];
  });
}

/** The steps of `provision` at `path` (`machines[0] (web).provision`), each named (`<machine> step <N>` unless it has a name). */
export function readProvision(value: unknown, machine: string, path: string): Provision[] {
  return arr(value).flatMap((item, index): Provision[] => {
    const name = `${machine} step ${index + 1}`;
    const at = `${path}[${index}]`;
    if (typeof item === "string") return [{ type: "shell", name, path: at, inline: item, args: [], env: {}, privileged: true, run: "once" }];
    const raw = obj(item);
    const named = str(raw.name) ?? name;
    const run = oneOf(RUN_WHEN, raw.run) ?? "once";
    switch (raw.type) {
      case "shell":
        return [
          {
            type: "shell",
            name: named,
            path: at,
            inline: str(raw.inline),
            script: str(raw.path),
            args: strings(raw.args),
            env: stringRecord(raw.env),
            privileged: bool(raw.privileged) ?? true,
            run,
          },
        ];
      case "file": {
        const source = str(raw.source);
        const destination = str(raw.destination);
        return source !== undefined && destination !== undefined ? [{ type: "file", name: named, path: at, source, destination, run }] : [];
      }
      case "ansible":
      case "ansible_local": {
        const playbook = str(raw.playbook);
        if (playbook === undefined) return [];
        const groups = Object.fromEntries(Object.entries(obj(raw.groups)).map(([group, members]) => [group, strings(members)]));
        return [
          {
            type: raw.type,
            name: named,
            path: at,
            playbook,
            provisioningPath: str(raw.provisioningPath),
            extraVars: extraRecord(raw.extraVars),
            groups,
            limit: str(raw.limit),
            install: bool(raw.install) ?? false,
            verbose: str(raw.verbose),
            run,
          },
        ];
      }
      case "reboot":
        return [{ type: "reboot", name: named, path: at, run }];
      default:
        return []; // an unknown type is reported by the shape check
    }
  });
}

/** A value of the escape hatch, or undefined when it holds something no Ruby literal can say. */
export function extraValue(value: unknown): ExtraValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : undefined;
    case "object": {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        const items = value.map(extraValue);
        return items.every((v) => v !== undefined) ? (items as ExtraValue[]) : undefined;
      }
      const entries = Object.entries(value).map(([k, v]) => [k, extraValue(v)] as const);
      return entries.every(([, v]) => v !== undefined) ? (Object.fromEntries(entries) as { [key: string]: ExtraValue }) : undefined;
    }
    default:
      return undefined;
  }
}

export function extraRecord(value: unknown): Record<string, ExtraValue> {
  return Object.fromEntries(
    Object.entries(obj(value)).flatMap(([key, v]) => {
      const extra = extraValue(v);
      return extra === undefined ? [] : [[key, extra]];
    }),
  );
}

/** SSH settings: the machine's own keys over the defaults'. */
export function readSsh(own: unknown, defaults: unknown): SshConfig {
  const merged = { ...obj(defaults), ...obj(own) };
  return {
    username: str(merged.username),
    password: str(merged.password),
    insertKey: bool(merged.insertKey),
    privateKeyPath: Array.isArray(merged.privateKeyPath) ? strings(merged.privateKeyPath) : undefined,
    forwardAgent: bool(merged.forwardAgent),
  };
}

/** The keys a provider block sets, escape-hatch options as `options.<key>`. */
function keysOf(block: unknown): string[] {
  const raw = obj(block);
  const keys = Object.keys(raw).filter((key) => key !== "options" && raw[key] !== undefined);
  return [...keys, ...Object.keys(obj(raw.options)).map((key) => `options.${key}`)];
}

/** A provider block: the machine's own keys over `defaults.<provider>`; `options` merged key by key. */
function mergeBlocks(own: unknown, defaults: unknown): Raw {
  const mine = obj(own);
  const base = obj(defaults);
  return { ...base, ...mine, options: { ...obj(base.options), ...obj(mine.options) } };
}

export function readLibvirt(own: unknown, defaults: unknown): LibvirtMachine {
  const raw = mergeBlocks(own, defaults);
  return {
    cpuMode: oneOf(CPU_MODES, raw.cpuMode),
    cpuFeatures: arr(raw.cpuFeatures).flatMap((item) => {
      const f = obj(item);
      const name = str(f.name);
      const policy = oneOf(CPU_FEATURE_POLICIES, f.policy);
      return name !== undefined && policy !== undefined ? [{ name, policy }] : [];
    }),
    diskBus: oneOf(DISK_BUSES, raw.diskBus),
    diskCache: oneOf(DISK_CACHES, raw.diskCache),
    managementNicModel: oneOf(LIBVIRT_NIC_MODELS, raw.managementNicModel),
    graphics: oneOf(GRAPHICS, raw.graphics),
    keymap: str(raw.keymap),
    rng: bool(raw.rng) ?? false,
    options: extraRecord(raw.options),
    given: { machine: keysOf(own), defaults: keysOf(defaults) },
  };
}

export function readVirtualBox(own: unknown, defaults: unknown): VirtualBoxMachine {
  const raw = mergeBlocks(own, defaults);
  const mine = obj(own);
  return {
    // A VM name is one machine's: never taken from the defaults.
    name: str(mine.name),
    linkedClone: bool(raw.linkedClone) ?? false,
    guestProperties: { ...stringRecord(obj(defaults).guestProperties), ...stringRecord(mine.guestProperties) },
    cpuProfile: str(raw.cpuProfile),
    options: extraRecord(raw.options),
    customize: [...arr(obj(defaults).customize), ...arr(mine.customize)].flatMap((item) => {
      const call = obj(item);
      const command = str(call.command);
      return command === undefined ? [] : [{ command, args: strings(call.args) }];
    }),
    given: { machine: keysOf(own), defaults: keysOf(defaults) },
  };
}

/** The box on `provider`: the machine's provider block, its box, the defaults' provider block, then the defaults'. */
export function boxOn(provider: string, machine: Raw, defaults: Raw, lab: Raw): string {
  return (
    str(obj(machine[provider]).box) ??
    str(machine.box) ??
    str(obj(defaults[provider]).box) ??
    str(defaults.box) ??
    str(lab.box) ??
    ""
  );
}
