// The text of a new project's files: the template's config, the common files (package.json,
// .gitignore), and what is drawn from the loaded lab (Vagrantfile, topology.svg, README, and
// the CI workflow, which builds the kvm-lab boxes the lab names). Files named `_x` are stored so npm does not treat them as its own
// (.gitignore, .github) and become `.x`; files ending in .hbs are Handlebars templates.
import path from "node:path";
import fs from "fs-extra";
import Handlebars from "handlebars";
import type { Lab, Provider } from "../config/types.js";
import { MODES } from "../net/modes.js";
import { reachOf } from "../net/reach.js";
import { vboxNatGuestAddress, vboxNatHostAddress } from "../net/provider-addresses.js";
import { addressText, planLab } from "../net/plan.js";
import { TEMPLATES, COMMON_DIR, templateDir, type TemplateName } from "./templates.js";
import { BOX_OUT_DIR, CI_BOX_BUILD_PACKAGES, CI_LAB_PACKAGES, KVM_LAB_BOX_PREFIX, ciBoxOf } from "./lab-boxes.js";
import { ciTimesSentence } from "./ci-times.js";

export const CONFIG_FILE = "kvm-lab.config.ts";
export const README_FILE = "README.md";
export const TOPOLOGY_FILE = "topology.svg";
export const VAGRANTFILE = "Vagrantfile";
export const WORKFLOW_FILE = ".github/workflows/kvm-lab.yml";
/** Common files drawn from the loaded lab, rendered after it loads. */
const LAB_FILES = new Set([README_FILE, WORKFLOW_FILE]);

/** What the user chose: everything a template needs to become a project. */
export interface ProjectChoices {
  name: string;
  template: TemplateName;
  provider: Provider;
  /** The template's machine count, where it has one. */
  count?: number;
  /** The host device for bridged networks, where the template has one. */
  bridge?: string;
}

const hbs = Handlebars.create();
// A JavaScript/JSON string literal: config values never become code in the files we write.
hbs.registerHelper("js", (value: unknown) => JSON.stringify(String(value)).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029"));
hbs.registerHelper("add", (a: number, b: number) => Number(a) + Number(b));

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** A count as prose writes it: "three" up to ten, digits beyond. */
export function countInWords(count: number): string {
  return NUMBER_WORDS[count] ?? String(count);
}

async function renderTemplate(file: string, view: object): Promise<string> {
  return hbs.compile(await fs.readFile(file, "utf8"), { strict: true, noEscape: true })(view);
}

function choicesView(choices: ProjectChoices) {
  const count = choices.count ?? TEMPLATES[choices.template].count?.default ?? 1;
  return {
    ...choices,
    count,
    many: count > 1,
    countWords: countInWords(count),
    CountWords: countInWords(count).replace(/^./, (c) => c.toUpperCase()),
    hosts: Array.from({ length: count }, (_, i) => i + 1),
    bridge: choices.bridge ?? "eth0",
    libvirt: choices.provider === "libvirt",
  };
}

/** Project-relative path of a stored template file: `_gitignore` → `.gitignore`, `x.hbs` → `x`. */
export function outputPathOf(stored: string): string {
  return stored
    .split("/")
    .map((part) => (part.startsWith("_") ? `.${part.slice(1)}` : part))
    .join("/")
    .replace(/\.hbs$/, "");
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for (const entry of (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else files.push(rel);
  }
  return files;
}

/** The config file's text for the choices. */
export async function renderConfigFile(choices: ProjectChoices): Promise<string> {
  return renderTemplate(path.join(templateDir(choices.template), `${CONFIG_FILE}.hbs`), choicesView(choices));
}

/** The common files, except the README and the CI workflow (which need the lab), by project-relative path. */
export async function renderCommonFiles(choices: ProjectChoices, kvmLabVersion: string): Promise<Map<string, string>> {
  const view = { ...choicesView(choices), description: `${TEMPLATES[choices.template].description} (kvm-lab)`, kvmLabRange: `^${kvmLabVersion}` };
  const files = new Map<string, string>();
  for (const stored of await listFiles(COMMON_DIR)) {
    const out = outputPathOf(stored);
    if (LAB_FILES.has(out)) continue;
    const source = path.join(COMMON_DIR, stored);
    files.set(out, stored.endsWith(".hbs") ? await renderTemplate(source, view) : await fs.readFile(source, "utf8"));
  }
  return files;
}

/** The CI workflow: the steps every lab needs, and for each kvm-lab box recipe its version, cache, build and add. */
export async function renderWorkflow(recipes: readonly string[]): Promise<string> {
  return renderTemplate(path.join(COMMON_DIR, "_github", "workflows", "kvm-lab.yml.hbs"), {
    boxes: recipes.map(ciBoxOf),
    manyBoxes: recipes.length > 1,
    labPackages: CI_LAB_PACKAGES.join(" "),
    // Those the lab's own install line does not have already.
    buildTools: CI_BOX_BUILD_PACKAGES.filter((pkg) => !CI_LAB_PACKAGES.includes(pkg)).join(" "),
  });
}

/**
 * The README: the template's words about the lab, then tables and pictures drawn from the
 * lab itself; `recipes` are the kvm-lab boxes it boots (on its provider), `ciRecipes` the
 * ones the CI workflow builds (on libvirt).
 */
export async function renderReadme(choices: ProjectChoices, lab: Lab, mermaid: string, recipes: readonly string[], ciRecipes: readonly string[]): Promise<string> {
  const view = choicesView(choices);
  const about = (await renderTemplate(path.join(templateDir(choices.template), "about.md.hbs"), view)).trim();
  const plan = planLab(lab);
  const libvirt = lab.provider === "libvirt";
  return renderTemplate(path.join(COMMON_DIR, `${README_FILE}.hbs`), {
    name: lab.name,
    template: choices.template,
    bridge: choices.bridge ?? "",
    about,
    providerLabel: libvirt ? "libvirt (vagrant-libvirt, QEMU/KVM on Linux)" : "VirtualBox",
    providerNeeds: libvirt
      ? "libvirt with QEMU/KVM and the vagrant-libvirt plugin"
      : "VirtualBox 6.1 or 7 (on Linux, KVM must not hold the CPU's virtualization: unload kvm_intel/kvm_amd)",
    firstAdapter: libvirt
      ? `vagrant-libvirt's management network (${lab.managementNetwork.text}, NAT), which Vagrant uses for SSH`
      : `its own VirtualBox NAT (${vboxNatGuestAddress(lab.natCidr)}, gateway ${vboxNatHostAddress(lab.natCidr)}), which Vagrant uses for SSH through a port forwarded on 127.0.0.1`,
    machines: lab.machines.map((machine, index) => ({
      name: machine.name,
      cpus: machine.cpus,
      memory: machine.memory,
      nested: machine.nested ? "yes" : "no",
      adapters: plan[index].adapters
        .slice(1)
        .map((a) => `${a.slot}: ${a.network === null ? a.mode : `\`${a.network}\``}${a.addressing === "none" ? "" : ` ${addressText(a)}`}`)
        .join(", ") || "-",
    })),
    networks: lab.networks
      .filter((network) => MODES[network.mode].shared)
      .map((network) => ({
        key: network.key,
        mode: `${reachOf(lab.provider, network).label}${network.mode === "bridged" ? ` (to ${network.bridge})` : ""}`,
        cidr: network.cidr?.text ?? "the LAN's",
        summary: reachOf(lab.provider, network).summary,
      })),
    mermaid,
    boxes: recipes.map((recipe) => ({ recipe, box: `${KVM_LAB_BOX_PREFIX}${recipe}`, catalog: `${BOX_OUT_DIR}/${recipe}.json` })),
    provider: lab.provider,
    manyBoxes: recipes.length > 1,
    ciBoxes: ciRecipes.map(ciBoxOf),
    ciTimes: ciTimesSentence(),
  });
}
