// Writing a new lab project without leaving half of one: every file is made in a staging
// folder beside the target, the config is loaded and the Vagrantfile rendered from it
// there, and only then does the project move into place. On any failure or Ctrl-C the
// staging folder (and any parent folder we made) is removed.
import path from "node:path";
import fs from "fs-extra";
import { OverwriteRefusedError, UsageError, KvmLabError, type Problem } from "../errors.js";
import { watchInterrupts } from "../interrupts.js";
import { loadLab } from "../config/load.js";
import { renderVagrantfile } from "../render/vagrantfile.js";
import { keepBackup, writeFileAtomic } from "../render/write.js";
import { topologyOf } from "../net/topology.js";
import { drawMermaid } from "../net/draw/mermaid.js";
import { drawSvg } from "../net/draw/svg.js";
import { ciRunnerWarnings } from "../host/fit.js";
import {
  CONFIG_FILE,
  README_FILE,
  TOPOLOGY_FILE,
  VAGRANTFILE,
  WORKFLOW_FILE,
  renderCommonFiles,
  renderConfigFile,
  renderReadme,
  renderWorkflow,
  type ProjectChoices,
} from "./files.js";
import { listRecipeNames } from "../boxes/registry.js";
import { kvmLabRecipesOf, recipeNameProblem } from "./lab-boxes.js";

export interface ScaffoldResult {
  dir: string;
  /** Project-relative paths written, sorted. */
  files: string[];
  /** Files that were in the way (with --force), and where each was kept. */
  backups: { file: string; keptAs: string }[];
  /** Where the lab will not fit (or is tight on) the runner of the generated CI workflow. */
  warnings: Problem[];
}

export type TargetState = "missing" | "empty" | "not-empty" | "not-a-directory";

/** What is at the target path now. */
export async function targetStateOf(dir: string): Promise<TargetState> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) return "not-a-directory";
    return (await fs.readdir(dir)).length ? "not-empty" : "empty";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
}

/** Makes the project at `dir` (absolute) from the choices. */
export async function scaffoldProject(
  dir: string,
  choices: ProjectChoices,
  options: { force?: boolean; kvmLabVersion: string },
): Promise<ScaffoldResult> {
  // 1. Refuse what would lose something.
  const state = await targetStateOf(dir);
  if (state === "not-a-directory") {
    throw new UsageError(`${dir} exists and is not a folder`, { hint: "name a new folder for the project" });
  }
  if (state === "not-empty" && !options.force) {
    throw new OverwriteRefusedError(`${dir} is not empty; not writing a project into it`, {
      hint: "name a new or empty folder, or run again with --force (files of the same name are kept as <file>.kvm-lab.bak, or .bak.1, .bak.2, ... beside older backups)",
    });
  }
  // 2. Stage on the target's file system, so the final moves are renames: beside a new
  //    target, inside an existing one (whose parent may not be ours to write, as with init in ~).
  const parent = path.dirname(dir);
  const madeParent = state === "missing" ? await fs.promises.mkdir(parent, { recursive: true }) : undefined;
  const staging = await fs.mkdtemp(state === "missing" ? path.join(parent, `.${path.basename(dir)}.kvm-lab-`) : path.join(dir, ".kvm-lab-staging-"));
  await fs.chmod(staging, 0o755); // mkdtemp makes it private; the project folder should not be
  const interrupts = watchInterrupts();
  try {
    const { files, warnings } = await stageProject(staging, choices, options.kvmLabVersion, () => interrupts.throwIfInterrupted("create-kvm-lab"));
    interrupts.throwIfInterrupted("create-kvm-lab");
    // 3. Move into place: the whole folder when the target is new, else file by file.
    const backups = state === "missing" ? (await fs.rename(staging, dir), []) : await moveInto(staging, dir, files);
    return { dir, files, backups, warnings };
  } catch (error) {
    await fs.remove(staging);
    if (madeParent) await fs.remove(madeParent);
    throw error;
  } finally {
    interrupts.dispose();
  }
}

async function stageProject(staging: string, choices: ProjectChoices, version: string, checkpoint: () => void): Promise<{ files: string[]; warnings: Problem[] }> {
  const written: string[] = [];
  const put = async (rel: string, text: string) => {
    checkpoint();
    const file = path.join(staging, rel);
    await fs.ensureDir(path.dirname(file));
    await writeFileAtomic(file, text);
    written.push(rel);
  };
  await put(CONFIG_FILE, await renderConfigFile(choices));
  for (const [rel, text] of await renderCommonFiles(choices, version)) await put(rel, text);
  let lab;
  let ciLab;
  try {
    ({ lab } = await loadLab(staging));
    // The CI workflow runs the lab with --provider libvirt: its boxes are libvirt's.
    ({ lab: ciLab } = await loadLab(staging, { provider: "libvirt" }));
  } catch (error) {
    // The templates are ours: a config that does not load is our bug, not the user's.
    const detail = error instanceof KvmLabError ? error.message : String(error);
    throw new KvmLabError(`the ${choices.template} template made a config that does not load: ${detail}`, { cause: error });
  }
  const recipes = kvmLabRecipesOf(lab);
  const ciRecipes = kvmLabRecipesOf(ciLab);
  const known = await listRecipeNames();
  const bad = [...recipes, ...ciRecipes].map((recipe) => recipeNameProblem(recipe, known)).find(Boolean);
  if (bad) throw new KvmLabError(`the ${choices.template} template names a box kvm-lab cannot build: ${bad}`);
  await put(WORKFLOW_FILE, await renderWorkflow(ciRecipes));
  await put(VAGRANTFILE, renderVagrantfile(lab));
  const topology = topologyOf(lab);
  await put(TOPOLOGY_FILE, await drawSvg(topology));
  await put(README_FILE, await renderReadme(choices, lab, drawMermaid(topology), recipes, ciRecipes));
  return { files: written.sort(), warnings: await ciRunnerWarnings(lab) };
}

async function moveInto(staging: string, dir: string, files: string[]): Promise<ScaffoldResult["backups"]> {
  const backups: ScaffoldResult["backups"] = [];
  for (const rel of files) {
    const target = path.join(dir, rel);
    await fs.ensureDir(path.dirname(target));
    const source = path.join(staging, rel);
    if ((await fs.pathExists(target)) && !(await sameBytes(target, source))) {
      const keptAs = await keepBackup(target);
      backups.push({ file: rel, keptAs: path.relative(dir, keptAs) });
    }
    await fs.rename(source, target);
  }
  await fs.remove(staging);
  return backups;
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([fs.readFile(a), fs.readFile(b)]);
  return x.equals(y);
}
