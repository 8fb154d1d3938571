// The lab templates create-kvm-lab offers. This registry drives the prompts, `--help` and
// lookup; each template's files are a plain folder under templates/create/<name>/, with
// the files every project gets under templates/create/common/.
import path from "node:path";
import { TEMPLATES_DIR } from "../paths.js";

export const TEMPLATE_NAMES = ["minimal", "nested-pair", "openstack", "network-modes"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** A question about how many machines, for templates that have one. */
export interface MachineCount {
  /** What is counted, for the prompt and --help: "KVM hosts". */
  noun: string;
  min: number;
  max: number;
  default: number;
}

export interface LabTemplate {
  name: TemplateName;
  /** One line for the prompt and --help. */
  description: string;
  count?: MachineCount;
  /** Whether the lab has a bridged network (the scaffolder then picks a host device). */
  bridged: boolean;
}

export const TEMPLATES: Record<TemplateName, LabTemplate> = {
  minimal: {
    name: "minimal",
    description: "one VM with nested virtualization and a host-only NIC",
    bridged: false,
  },
  "nested-pair": {
    name: "nested-pair",
    description: "KVM hosts on a host-only and an internal network, ready to run guests",
    count: { noun: "KVM hosts", min: 2, max: 8, default: 2 },
    bridged: false,
  },
  openstack: {
    name: "openstack",
    description: "controller, network and compute nodes on management, tenant, external and provider networks",
    count: { noun: "compute nodes", min: 1, max: 4, default: 1 },
    bridged: true,
  },
  "network-modes": {
    name: "network-modes",
    description: "a machine per VirtualBox mode (NAT, NAT Network, bridged, internal, host-only) to see what each reaches",
    count: { noun: "machines per mode", min: 1, max: 3, default: 1 },
    bridged: true,
  },
};

export const CREATE_TEMPLATES_DIR = path.join(TEMPLATES_DIR, "create");

/** The folder of a template's own files. */
export function templateDir(name: TemplateName): string {
  return path.join(CREATE_TEMPLATES_DIR, name);
}

/** The folder of the files every project gets. */
export const COMMON_DIR = path.join(CREATE_TEMPLATES_DIR, "common");

export function isTemplateName(value: string): value is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(value);
}
