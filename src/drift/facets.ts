// A machine's normalized config cut into facets (its box, memory and vCPUs, each NIC, each
// disk, each provisioning step...), each with a short text for people and a fingerprint
// (sha256 of its settings as stable JSON) to compare with what was applied. Only what the
// lab's provider reads is in a facet, so VirtualBox settings never make a libvirt lab drift.
import { createHash } from "node:crypto";
import path from "node:path";
import fs from "fs-extra";
import { cpuModeOf } from "../config/cpu.js";
import type { Lab, Machine, Nic, Provision } from "../config/types.js";
import { builtinSteps, etcHostsArgs } from "../render/provision.js";
import type { FacetKind } from "./needs.js";

export interface Facet {
  /** Unique on the machine: `memory`, `nic3`, `disk:data`, `provision:setup`. */
  key: string;
  kind: FacetKind;
  /** For people: `2 vCPUs, 1024 MiB`. */
  text: string;
  /** sha256 of the facet's settings. */
  hash: string;
}

/** JSON with object keys sorted and undefined left out: the same settings give the same text. */
export function stableJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

function facet(key: string, kind: FacetKind, text: string, settings: unknown): Facet {
  return { key, kind, text, hash: sha256(stableJson(settings)) };
}

/** A file's content hash (scripts, playbooks, file sources), so a script edited on disk is a change too; folders and URLs by name alone. */
async function contentOf(dir: string, file: string | undefined): Promise<string | undefined> {
  if (!file || /^[a-z]+:\/\//i.test(file)) return undefined;
  try {
    const full = path.resolve(dir, file);
    const stat = await fs.stat(full);
    return stat.isFile() ? sha256(await fs.readFile(full, "utf8")) : undefined;
  } catch {
    return "missing";
  }
}

function nicText(nic: Nic): string {
  const network = nic.named ? `${nic.network.mode} ${nic.network.providerName}` : nic.network.mode;
  const parts = [network, nic.ip ?? (nic.network.cidr ? "dhcp" : undefined), nic.mac ? `mac ${nic.mac}` : undefined, nic.cable ? undefined : "cable off"];
  return parts.filter(Boolean).join(" ");
}

function provisionText(step: Provision): string {
  const what = step.type === "shell" ? (step.script ?? "inline") : step.type === "file" ? `${step.source} -> ${step.destination}` : step.type === "reboot" ? "" : step.playbook;
  return `${step.type} "${step.name}"${what ? ` (${what})` : ""}, run ${step.run}`;
}

export interface FacetOptions {
  /** The lab folder: provisioning files are read relative to it. */
  dir: string;
  /** Machines preflight put on QEMU software emulation (render's `tcg`). */
  tcg?: readonly string[];
}

/** Every facet of one machine of `lab` as the lab's provider sees it. */
export async function machineFacets(lab: Lab, machine: Machine, options: FacetOptions): Promise<Facet[]> {
  const libvirt = lab.provider === "libvirt";
  const accel = options.tcg?.includes(machine.name) && machine.accel === "kvm" ? "tcg" : machine.accel;
  const facets: Facet[] = [];
  const boxText = `${machine.box}${machine.boxVersion ? ` ${machine.boxVersion}` : ""}`;
  facets.push(facet("box", "box", boxText, { box: machine.box, version: machine.boxVersion, url: machine.boxUrl }));
  if (machine.host) facets.push(facet("host", "host", `host ${machine.host.name} (${machine.host.uri})`, { uri: machine.host.uri }));
  facets.push(facet("hardware", "hardware", `${machine.cpus} vCPU${machine.cpus === 1 ? "" : "s"}, ${machine.memory} MiB`, { cpus: machine.cpus, memory: machine.memory }));
  if (libvirt) {
    const mode = cpuModeOf({ ...machine, accel });
    const cpu = { nested: machine.nested, accel, mode, model: machine.cpuModel, features: machine.libvirt.cpuFeatures };
    facets.push(facet("cpu", "cpu", `nested ${machine.nested ? "on" : "off"}, ${accel}, ${mode}${machine.cpuModel ? ` ${machine.cpuModel}` : ""}`, cpu));
    const creation = { rng: machine.libvirt.rng, diskCache: machine.libvirt.diskCache, managementNetwork: lab.managementNetwork.text };
    facets.push(facet("creation", "creation", `management network ${lab.managementNetwork.text}${machine.libvirt.rng ? ", rng" : ""}${machine.libvirt.diskCache ? `, disk cache ${machine.libvirt.diskCache}` : ""}`, creation));
    const { graphics, keymap, managementNicModel, diskBus, options: extra } = machine.libvirt;
    facets.push(facet("provider", "provider", `libvirt: ${stableJson({ graphics, keymap, managementNicModel, diskBus, options: extra })}`, { graphics, keymap, managementNicModel, diskBus, extra }));
  } else {
    const vb = machine.virtualbox;
    facets.push(facet("cpu", "cpu", `nested ${machine.nested ? "on" : "off"}${vb.cpuProfile ? `, profile ${vb.cpuProfile}` : ""}`, { nested: machine.nested, profile: vb.cpuProfile }));
    facets.push(facet("creation", "creation", vb.linkedClone ? "linked clone" : "full clone", { linkedClone: vb.linkedClone }));
    const settings = { name: vb.name, options: vb.options, customize: vb.customize, guestProperties: vb.guestProperties, natCidr: lab.natCidr.text, natDnsHostResolver: lab.natDnsHostResolver };
    facets.push(facet("provider", "provider", `virtualbox: ${stableJson(settings)}`, settings));
  }
  facets.push(facet("hostname", "hostname", machine.hostname, machine.hostname));
  facets.push(facet("root-disk", "root-disk", machine.diskSizeGiB ? `${machine.diskSizeGiB} GiB` : "the box's size", machine.diskSizeGiB ?? null));
  for (const disk of machine.disks) {
    const settings = { size: disk.sizeGiB, bus: libvirt ? disk.bus : undefined };
    facets.push(facet(`disk:${disk.name}`, "disk", `${disk.name} ${disk.sizeGiB} GiB${libvirt && disk.bus ? ` ${disk.bus}` : ""}`, settings));
  }
  for (const nic of machine.nics) {
    const { path: _where, ...settings } = nic;
    facets.push(facet(`nic${nic.slot}`, "nic", nicText(nic), settings));
  }
  const forwards = machine.forwards.map((f) => `${f.hostIp}:${f.host}->${f.guest}/${f.protocol}`);
  facets.push(facet("forwards", "forwards", forwards.length ? forwards.join(", ") : "none", forwards));
  const folders = machine.syncedFolders.map(({ path: _where, ...folder }) => folder);
  const shown = machine.syncedFolders.filter((f) => !f.disabled).map((f) => `${f.host} -> ${f.guest}${f.type ? ` (${f.type})` : ""}`);
  facets.push(facet("folders", "folders", shown.length ? shown.join(", ") : "none", { projectFolder: lab.syncedFolder, folders }));
  for (const step of builtinSteps(lab, machine)) {
    const args = step.argsConstant === "ETC_HOSTS_ARGS" ? etcHostsArgs(lab) : step.args;
    facets.push(facet(`provision:${step.name}`, "provision", `kvm-lab's ${step.name.replace(/^kvm-lab: /, "")}`, { script: step.script, args }));
  }
  for (const step of machine.provision) {
    const { path: _where, ...settings } = step;
    const file = step.type === "shell" ? step.script : step.type === "file" ? step.source : step.type === "reboot" ? undefined : step.type === "ansible" ? step.playbook : undefined;
    facets.push(facet(`provision:${step.name}`, "provision", provisionText(step), { ...settings, content: await contentOf(options.dir, file) }));
  }
  const { ssh, bootTimeoutSeconds, boxCheckUpdate, autostart, primary, upAfter } = machine;
  facets.push(facet("vagrant", "vagrant", `ssh, boot timeout, autostart, upAfter`, { ssh, bootTimeoutSeconds, boxCheckUpdate, autostart, primary, upAfter }));
  return facets;
}
