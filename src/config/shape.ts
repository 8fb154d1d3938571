// The config's shape: which keys exist and what type each holds. `checkShapeFully` reports
// unknown keys (with "did you mean") and wrong types; meaning is checked in rules.ts.
import type { Problem } from "../errors.js";
import { NETWORK_MODES } from "../net/modes.js";
import {
  ACCELS,
  CPU_FEATURE_POLICIES,
  CPU_MODES,
  DISK_BUSES,
  DISK_CACHES,
  GRAPHICS,
  LIBVIRT_NIC_MODELS,
  NIC_TYPES,
  PROMISC_MODES,
  PROTOCOLS,
  PROVIDERS,
  RUN_WHEN,
  SYNCED_FOLDER_TYPES,
} from "./types.js";
import { extraValue } from "./normalize-machine.js";
import { closest } from "./suggest.js";
import { CHECK_IDS } from "../checks/ids.js";
import { machinePath } from "./paths.js";

type Field =
  | { kind: "string" }
  | { kind: "integer" }
  | { kind: "boolean" }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "object"; fields: Record<string, Field>; required?: string[] }
  | { kind: "array"; of: Field }
  | { kind: "record"; of: Field }
  /** A string, or an object whose `type` picks its fields (provisioning steps). */
  | { kind: "tagged"; variants: Record<string, Field & { kind: "object" }>; orString: boolean }
  /** A value of the escape hatch: anything a Ruby literal can say. */
  | { kind: "literal" };

const string: Field = { kind: "string" };
const integer: Field = { kind: "integer" };
const boolean: Field = { kind: "boolean" };
const stringMap: Field = { kind: "record", of: string };
const oneOf = (values: readonly string[]): Field => ({ kind: "enum", values });

const strings: Field = { kind: "array", of: string };
const literals: Field = { kind: "record", of: { kind: "literal" } };
const run = oneOf(RUN_WHEN);

const ssh: Field = {
  kind: "object",
  fields: { username: string, password: string, insertKey: boolean, privateKeyPath: strings, forwardAgent: boolean },
};

const libvirtMachine: Field = {
  kind: "object",
  fields: {
    box: string,
    cpuMode: oneOf(CPU_MODES),
    cpuModel: string,
    cpuFeatures: { kind: "array", of: { kind: "object", fields: { name: string, policy: oneOf(CPU_FEATURE_POLICIES) }, required: ["name", "policy"] } },
    diskBus: oneOf(DISK_BUSES),
    diskCache: oneOf(DISK_CACHES),
    managementNicModel: oneOf(LIBVIRT_NIC_MODELS),
    graphics: oneOf(GRAPHICS),
    keymap: string,
    rng: boolean,
    options: literals,
  },
};

const virtualboxMachine: Field = {
  kind: "object",
  fields: {
    box: string,
    name: string,
    linkedClone: boolean,
    guestProperties: stringMap,
    cpuProfile: string,
    options: literals,
    customize: { kind: "array", of: { kind: "object", fields: { command: string, args: strings }, required: ["command", "args"] } },
  },
};

const machineDefaults = {
  box: string,
  cpus: integer,
  memory: integer,
  nested: boolean,
  accel: oneOf(ACCELS),
  boxVersion: string,
  bootTimeoutSeconds: integer,
  boxCheckUpdate: boolean,
  diskSizeGiB: integer,
  ssh,
  libvirt: libvirtMachine,
  virtualbox: virtualboxMachine,
};

const syncedFolder: Field = {
  kind: "object",
  fields: {
    host: string,
    guest: string,
    type: oneOf(SYNCED_FOLDER_TYPES),
    provider: oneOf(PROVIDERS),
    disabled: boolean,
    create: boolean,
    owner: string,
    group: string,
    mountOptions: strings,
    nfsVersion: integer,
    nfsUdp: boolean,
    rsyncExclude: strings,
    rsyncArgs: strings,
    smbUsername: string,
    accessMode: oneOf(["passthrough", "mapped", "squash"]),
  },
  required: ["host", "guest"],
};

const disk: Field = { kind: "object", fields: { name: string, sizeGiB: integer, bus: oneOf(DISK_BUSES) }, required: ["sizeGiB"] };

const step = (fields: Record<string, Field>, required: string[] = []): Field & { kind: "object" } => ({
  kind: "object",
  fields: { type: string, name: string, run, ...fields },
  required: ["type", ...required],
});
const ansible = step(
  {
    playbook: string,
    provisioningPath: string,
    extraVars: literals,
    groups: { kind: "record", of: strings },
    limit: string,
    install: boolean,
    verbose: string,
  },
  ["playbook"],
);
const provisionStep: Field = {
  kind: "tagged",
  orString: true,
  variants: {
    shell: step({ inline: string, path: string, args: strings, env: stringMap, privileged: boolean }),
    file: step({ source: string, destination: string }, ["source", "destination"]),
    ansible,
    ansible_local: ansible,
    reboot: step({}),
  },
};

const forward: Field = {
  kind: "object",
  fields: { guest: integer, host: integer, hostIp: string, protocol: oneOf(PROTOCOLS) },
  required: ["guest", "host"],
};

const nic: Field = {
  kind: "object",
  fields: {
    network: string,
    mode: oneOf(NETWORK_MODES),
    adapter: integer,
    ip: string,
    mac: string,
    nicType: oneOf(NIC_TYPES),
    cable: boolean,
    promisc: oneOf(PROMISC_MODES),
    cidr: string,
    bridge: string,
    driver: string,
    properties: stringMap,
    forwards: { kind: "array", of: forward },
    capture: boolean,
    captureFile: string,
    autoConfig: boolean,
    mtu: integer,
    defaultRoute: boolean,
  },
};

const machine: Field = {
  kind: "object",
  fields: {
    name: string,
    count: integer,
    countFrom: integer,
    hostname: string,
    boxUrl: string,
    cpuModel: string,
    autostart: boolean,
    primary: boolean,
    upAfter: strings,
    disks: { kind: "array", of: disk },
    syncedFolders: { kind: "array", of: syncedFolder },
    ...machineDefaults,
    nics: { kind: "array", of: nic },
    forwards: { kind: "array", of: forward },
    provision: { kind: "array", of: provisionStep },
    host: string,
  },
  required: ["name"],
};

const host: Field = {
  kind: "object",
  fields: { uri: string, cpus: integer, memory: integer, address: string, lanMtu: integer },
  required: ["uri", "cpus", "memory"],
};

const network: Field = {
  kind: "object",
  fields: {
    mode: oneOf(NETWORK_MODES),
    cidr: string,
    bridge: string,
    linuxBridge: boolean,
    name: string,
    driver: string,
    properties: stringMap,
  },
  required: ["mode"],
};

export const LAB_SHAPE: Field = {
  kind: "object",
  fields: {
    // A JSON config's pointer to its JSON Schema (editor completion); ignored.
    $schema: string,
    name: string,
    provider: oneOf(PROVIDERS),
    box: string,
    boxUrl: string,
    defaults: { kind: "object", fields: machineDefaults },
    networks: { kind: "record", of: network },
    machines: { kind: "array", of: machine },
    syncedFolder: boolean,
    syncedFolders: { kind: "array", of: syncedFolder },
    vagrantPlugins: strings,
    etcHosts: { kind: "object", fields: { network: string }, required: ["network"] },
    virtualbox: { kind: "object", fields: { hostOnlyRanges: { kind: "array", of: string }, natCidr: string, natDnsHostResolver: boolean } },
    libvirt: { kind: "object", fields: { managementNetwork: string } },
    hosts: { kind: "record", of: host },
    checks: { kind: "object", fields: { required: { kind: "array", of: oneOf(CHECK_IDS) }, timeoutSeconds: integer } },
    upTimeoutMinutes: integer,
  },
  required: ["name", "machines"],
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return String(value);
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (!path) return safe;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${safe}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Every shape problem of `value` against `field`, each with its dot-path, and the paths a
 * misspelled key was probably meant for (`cdir` ->
 * `networks.x.cidr`): a later "cidr is missing" there follows from the typo.
 */
export function checkShapeFully(value: unknown, field: Field = LAB_SHAPE, path = ""): { problems: Problem[]; meant: string[] } {
  const problems: Problem[] = [];
  const meant: string[] = [];
  visit(value, field, path, problems, meant);
  return { problems, meant };
}

function visit(value: unknown, field: Field, path: string, problems: Problem[], meant: string[]): void {
  const wrong = (expected: string, fix?: string): void => {
    problems.push({ path: path || "(config)", message: `expected ${expected}, got ${describe(value)}`, fix });
  };
  switch (field.kind) {
    case "string":
      if (typeof value !== "string") wrong("a string");
      return;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) {
        const numeric = typeof value === "string" && /^\d+$/.test(value);
        wrong("a whole number", numeric ? `write ${value} without quotes` : undefined);
      }
      return;
    case "boolean":
      if (typeof value !== "boolean") wrong("true or false");
      return;
    case "enum":
      if (typeof value !== "string" || !field.values.includes(value)) {
        const guess = typeof value === "string" ? closest(value, field.values) : undefined;
        problems.push({
          path,
          message: `${describe(value)} is not one of ${field.values.join(", ")}`,
          fix: guess ? `did you mean "${guess}"?` : undefined,
        });
      }
      return;
    case "array":
      if (!Array.isArray(value)) return wrong("an array");
      value.forEach((item, index) => {
        const at = path === "machines" ? machinePath(index, isPlainObject(item) ? item.name : undefined) : join(path, index);
        visit(item, field.of, at, problems, meant);
      });
      return;
    case "literal":
      if (extraValue(value) === undefined) wrong("a string, number, true/false, or an array or object of these");
      return;
    case "tagged": {
      if (typeof value === "string" && field.orString) return;
      if (!isPlainObject(value)) return wrong(field.orString ? "a string or an object with a type" : "an object with a type");
      const types = Object.keys(field.variants);
      const variant = typeof value.type === "string" ? field.variants[value.type] : undefined;
      if (!variant) {
        const guess = typeof value.type === "string" ? closest(value.type, types) : undefined;
        problems.push({
          path: join(path, "type"),
          message: value.type === undefined ? "is required" : `${describe(value.type)} is not one of ${types.join(", ")}`,
          fix: guess ? `did you mean "${guess}"?` : `use one of: ${types.join(", ")}`,
        });
        return;
      }
      return visit(value, variant, path, problems, meant);
    }
    case "record":
      if (!isPlainObject(value)) return wrong("an object");
      for (const [key, item] of Object.entries(value)) visit(item, field.of, join(path, key), problems, meant);
      return;
    case "object": {
      if (!isPlainObject(value)) return wrong("an object");
      const known = Object.keys(field.fields);
      // "$schema" is a pointer for editors, not a setting to offer.
      const settings = known.filter((key) => !key.startsWith("$"));
      for (const required of field.required ?? []) {
        if (value[required] === undefined) {
          problems.push({ path: join(path, required), message: "is required" });
        }
      }
      for (const [key, item] of Object.entries(value)) {
        const sub = field.fields[key];
        if (!sub) {
          const guess = closest(key, known);
          if (guess && value[guess] === undefined) meant.push(join(path, guess));
          problems.push({
            path: join(path, key),
            message: "is not a known setting",
            fix: guess ? `did you mean "${guess}"?` : `known settings here: ${settings.join(", ")}`,
          });
        } else if (item !== undefined) {
          visit(item, sub, join(path, key), problems, meant);
        }
      }
      return;
    }
  }
}
