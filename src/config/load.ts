// Finding, importing and checking a lab config: parse -> shape -> normalize -> rules.
import path from "node:path";
import fs from "fs-extra";
import { importNamespace } from "./import-module.js";
import { explainLoadFailure, jsonSyntaxProblem } from "./load-errors.js";
import { ConfigError, type Problem } from "../errors.js";
import { checkShapeFully } from "./shape.js";
import { normalizeLab } from "./normalize.js";
import { checkRules } from "./rules.js";
import { isWithin } from "./paths.js";
import type { Lab, Provider } from "./types.js";

export const CONFIG_NAMES = [
  "kvm-lab.config.ts",
  "kvm-lab.config.mts",
  "kvm-lab.config.js",
  "kvm-lab.config.mjs",
  "kvm-lab.config.json",
] as const;

export interface LoadedLab {
  lab: Lab;
  warnings: Problem[];
  /** Absolute path of the config file. */
  file: string;
}

/** The extensions a config may have: what jiti transpiles, and JSON. */
export const CONFIG_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"] as const;

/** The config file to use: the one named, or the first of CONFIG_NAMES in `cwd`. */
export async function findConfigFile(cwd: string, named?: string): Promise<string> {
  if (named) {
    const file = path.resolve(cwd, named);
    if (!(await fs.pathExists(file))) {
      throw new ConfigError([{ path: "--config", message: `${named} does not exist`, fix: "check the path" }]);
    }
    await refuseDirectory(file, named, "--config");
    return file;
  }
  for (const name of CONFIG_NAMES) {
    const file = path.join(cwd, name);
    if (await fs.pathExists(file)) return file;
  }
  throw new ConfigError([
    {
      path: "",
      message: `no lab config in ${cwd}`,
      fix: `create ${CONFIG_NAMES[0]} (npm create kvm-lab makes one), or pass --config FILE`,
    },
  ]);
}

/** A folder where a config file belongs: the fix names the config inside it when there is one. */
async function refuseDirectory(file: string, shown: string, at: string): Promise<void> {
  if (!(await fs.stat(file)).isDirectory()) return;
  const inside = [];
  for (const name of CONFIG_NAMES) if (await fs.pathExists(path.join(file, name))) inside.push(name);
  throw new ConfigError([
    {
      path: at,
      message: `${shown} is a folder, not a config file`,
      fix: inside.length
        ? `pass the file: --config ${path.join(shown, inside[0])}`
        : `pass a config file (${CONFIG_NAMES.join(", ")}), or run kvm-lab in the folder that has one`,
    },
  ]);
}

const EXAMPLE_EXPORT = 'export default defineLab({ name: "lab", box: "debian/bookworm64", machines: [{ name: "node1" }] })';

/** The config file's default export (or the JSON document), before any checking. */
export async function importConfig(file: string): Promise<unknown> {
  const fail = (problem: Problem, cause?: unknown): never => {
    throw new ConfigError([problem], { file, cause });
  };
  const name = path.basename(file);
  if (!(await fs.pathExists(file))) fail({ path: "", message: `${file} does not exist`, fix: "check the path" });
  await refuseDirectory(file, file, "");
  const extension = path.extname(file).toLowerCase();
  if (!(CONFIG_EXTENSIONS as readonly string[]).includes(extension)) {
    fail({ path: name, message: `kvm-lab cannot read ${extension || "extensionless"} files`, fix: `write the config as ${CONFIG_EXTENSIONS.join(", ")}` });
  }
  // A UTF-8 byte order mark is not part of the text (JSON.parse would refuse it).
  const text = (await fs.readFile(file, "utf8")).replace(/^\uFEFF/, "");
  if (!text.trim()) {
    fail({
      path: name,
      message: "is empty",
      fix: extension === ".json" ? 'write the lab in it: { "name": "lab", "box": "debian/bookworm64", "machines": [{ "name": "node1" }] }' : `write the lab in it: ${EXAMPLE_EXPORT}`,
    });
  }
  if (extension === ".json") {
    try {
      return JSON.parse(text);
    } catch (error) {
      fail(jsonSyntaxProblem(text, file) ?? { path: name, message: `JSON syntax error: ${(error as Error).message}` }, error);
    }
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = await importNamespace(file);
  } catch (error) {
    return fail(await explainLoadFailure(error, file), error);
  }
  if (!("default" in namespace)) {
    const named = Object.keys(namespace).filter((key) => key !== "__esModule");
    fail({
      path: name,
      message: named.length ? `has no default export (it exports ${named.join(", ")})` : "has no default export",
      fix: named.length === 1 ? `export the lab as the default: export default ${named[0]}` : `export the lab as the default: ${EXAMPLE_EXPORT}`,
    });
  }
  if (typeof namespace.default === "function") {
    fail({ path: name, message: "its default export is a function, not the lab", fix: `export the lab object itself: ${EXAMPLE_EXPORT}` });
  }
  return namespace.default;
}

export interface CheckOptions {
  provider?: Provider;
  /** Shown in the Vagrantfile's header. */
  source?: string;
  file?: string;
}

/** Checks a raw config fully; throws ConfigError listing every problem, else returns the lab. */
export function checkConfig(raw: unknown, options: CheckOptions = {}): { lab: Lab; warnings: Problem[] } {
  const { problems: shapeProblems, meant } = checkShapeFully(raw);
  const { lab, problems } = normalizeLab(raw, { provider: options.provider, source: options.source });
  const networkKeys =
    typeof raw === "object" && raw !== null && typeof (raw as { networks?: unknown }).networks === "object"
      ? Object.keys((raw as { networks: object }).networks ?? {})
      : [];
  const rules = checkRules(lab, networkKeys, { folder: options.file ? path.dirname(options.file) : undefined });
  // A rule's error at (or inside) a place already reported is a follow-on of that problem.
  // So is one at a key a misspelled key was meant for ("cdir" given, "cidr" missing).
  const reported = [...shapeProblems, ...problems];
  const roots = [...reported.map((p) => p.path), ...meant];
  const followOn = (p: Problem): boolean => roots.some((root) => isWithin(p.path, root));
  const errors = dedupe([...reported, ...rules.errors.filter((p) => !followOn(p))]);
  if (errors.length) throw new ConfigError(errors, { file: options.file });
  return { lab, warnings: rules.warnings };
}

/** Loads and checks the lab config found in `cwd` (or the one named). */
export async function loadLab(cwd: string, options: { config?: string; provider?: Provider } = {}): Promise<LoadedLab> {
  const file = await findConfigFile(cwd, options.config);
  const raw = await importConfig(file);
  const { lab, warnings } = checkConfig(raw, { provider: options.provider, source: path.basename(file), file });
  return { lab, warnings, file };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
