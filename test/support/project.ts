// Reading back a scaffolded project: its files, its workflow (parsed by real Ruby's YAML),
// and the text in its SVG.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { ROOT } from "./tools.js";

/** Every file under `dir`, dotfiles included, as sorted relative paths. */
export async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** The files a project gets, read from the template folders as a user would see them. */
export async function expectedProjectFiles(): Promise<string[]> {
  const common = (await filesUnder(path.join(ROOT, "templates", "create", "common"))).map((stored) =>
    stored
      .split("/")
      .map((part) => (part.startsWith("_") ? `.${part.slice(1)}` : part))
      .join("/")
      .replace(/\.hbs$/, ""),
  );
  return [...common, "kvm-lab.config.ts", "Vagrantfile", "topology.svg"].sort();
}

/** A YAML file as JSON, parsed by Ruby's Psych (safe_load). */
export async function readYaml(file: string): Promise<unknown> {
  const { stdout } = await execa("ruby", ["-ryaml", "-rjson", "-e", "puts JSON.generate(YAML.safe_load(File.read(ARGV[0]), aliases: false))", file]);
  return JSON.parse(stdout);
}

/** The text of every <text> element of an SVG, entities decoded. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
      .replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(parseInt(code, 16)))
      .replace(/&amp;/g, "&"),
  );
}

/** xmllint's verdict on an XML file. */
export async function wellFormedXml(file: string): Promise<{ ok: boolean; output: string }> {
  const result = await execa("xmllint", ["--noout", file], { reject: false, all: true });
  return { ok: result.exitCode === 0, output: String(result.all) };
}

/** A step of a GitHub Actions job, as the YAML parser returns it. */
export interface WorkflowStep {
  name?: string;
  id?: string;
  uses?: string;
  if?: string;
  run?: string;
  with?: Record<string, string>;
}

/** The one job's steps of a project's CI workflow, parsed by real Ruby. */
export async function workflowSteps(dir: string): Promise<{ runsOn: string; steps: WorkflowStep[] }> {
  const workflow = (await readYaml(path.join(dir, ".github", "workflows", "kvm-lab.yml"))) as {
    jobs: Record<string, { "runs-on": string; steps: WorkflowStep[] }>;
  };
  const jobs = Object.values(workflow.jobs);
  if (jobs.length !== 1) throw new Error(`expected one job, found ${jobs.length}`);
  return { runsOn: jobs[0]["runs-on"], steps: jobs[0].steps };
}

/**
 * The box steps of a workflow for `recipe`, checked for order and wiring: npm install, then
 * the version step, actions/cache keyed on its output, the build only on a cache miss into
 * the cached folder, the add of that folder's catalog, all before `npm test`. Returns the
 * version step's script and the cache key, for running the one and resolving the other.
 */
export function boxStepsOf(steps: WorkflowStep[], recipe: string): { versionRun: string; versionStep: string; cacheKey: string } {
  const index = (test: (step: WorkflowStep) => boolean, what: string) => {
    const found = steps.findIndex(test);
    if (found < 0) throw new Error(`no step ${what} for ${recipe}`);
    return found;
  };
  const install = index((s) => s.run?.trim() === "npm install", "npm install");
  const version = index((s) => (s.run ?? "").includes(`kvm-lab box version ${recipe}`), "computing the version");
  const cache = index((s) => s.uses === "actions/cache@v4" && (s.with?.key ?? "").startsWith(`kvm-lab-box-${recipe}-`), "caching");
  const build = index((s) => (s.run ?? "").includes(`kvm-lab box build ${recipe} --provider libvirt`), "building");
  const add = index((s) => (s.run ?? "").startsWith("vagrant box add --force") && (s.run ?? "").includes(`/${recipe}.json`), "adding");
  const test = index((s) => s.run?.trim() === "npm test -- --provider libvirt", "npm test");
  const order = [install, version, cache, build, add, test];
  if (order.some((at, i) => i > 0 && at <= order[i - 1])) throw new Error(`box steps of ${recipe} out of order: ${order.join(", ")}`);
  const versionStep = steps[version].id!;
  const cacheStep = steps[cache].id!;
  const key = steps[cache].with!.key;
  if (!key.includes(`\${{ steps.${versionStep}.outputs.version }}`)) throw new Error(`cache key ${key} does not hold the version step's output`);
  if (steps[build].if !== `steps.${cacheStep}.outputs.cache-hit != 'true'`) throw new Error(`build step's if: ${steps[build].if}`);
  const folder = steps[cache].with!.path;
  if (!steps[build].run!.includes(`--out ${folder}`)) throw new Error(`build writes elsewhere than the cached ${folder}`);
  if (steps[add].run!.trim() !== `vagrant box add --force --provider libvirt ${folder}/${recipe}.json`) throw new Error(`add step: ${steps[add].run}`);
  return { versionRun: steps[version].run!, versionStep, cacheKey: key };
}
