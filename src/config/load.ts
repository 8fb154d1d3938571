// Finding, importing and checking a lab config: parse -> shape -> normalize -> rules.
import path from "node:path";
import fs from "fs-extra";
import { importDefault } from "./import-module.js";
import { ConfigError, type Problem } from "../errors.js";
import { checkShape } from "./shape.js";
import { normalizeLab } from "./normalize.js";
import { checkRules } from "./rules.js";
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

/** The config file to use: the one named, or the first of CONFIG_NAMES in `cwd`. */
export async function findConfigFile(cwd: string, named?: string): Promise<string> {
  if (named) {
    const file = path.resolve(cwd, named);
    if (!(await fs.pathExists(file))) {
      throw new ConfigError([{ path: "--config", message: `${named} does not exist`, fix: "check the path" }]);
    }
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

/** The config file's default export (or the JSON document), before any checking. */
export async function importConfig(file: string): Promise<unknown> {
  try {
    if (file.endsWith(".json")) return await fs.readJson(file);
    return await importDefault(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigError([{ path: "", message: `could not load ${path.basename(file)}: ${reason}`, fix: "fix the syntax error it names" }], {
      file,
      cause: error,
    });
  }
}

export interface CheckOptions {
  provider?: Provider;
  /** Shown in the Vagrantfile's header. */
  source?: string;
  file?: string;
}

/** Checks a raw config fully; throws ConfigError listing every problem, else returns the lab. */
export function checkConfig(raw: unknown, options: CheckOptions = {}): { lab: Lab; warnings: Problem[] } {
  const shapeProblems = checkShape(raw);
  const { lab, problems } = normalizeLab(raw, { provider: options.provider, source: options.source });
  const networkKeys =
    typeof raw === "object" && raw !== null && typeof (raw as { networks?: unknown }).networks === "object"
      ? Object.keys((raw as { networks: object }).networks ?? {})
      : [];
  const rules = checkRules(lab, networkKeys);
  const errors = dedupe([...shapeProblems, ...problems, ...rules.errors]);
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
