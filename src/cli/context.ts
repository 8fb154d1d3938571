// What every command shares: where it runs, how it prints, and loading the lab.
import path from "node:path";
import { formatProblem, type Problem } from "../errors.js";
import { loadLab, type LoadedLab } from "../config/load.js";
import type { Provider } from "../config/types.js";
import { writeUnlessClosed } from "./pipes.js";

export interface Io {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Raw writes to the terminal (live progress); only where isTTY. */
  write?: (text: string) => void;
  isTTY?: boolean;
  columns?: number;
  /** stdout's width where stdout is a terminal (tables wrap to it); unset when piped. */
  outColumns?: number;
}

/** The real terminal or pipes; a reader that closes its end early is not an error (see pipes.ts). */
export const processIo: Io = {
  cwd: process.cwd(),
  out: (text) => writeUnlessClosed(process.stdout, `${text}\n`),
  err: (text) => writeUnlessClosed(process.stderr, `${text}\n`),
  write: (text) => writeUnlessClosed(process.stderr, text),
  isTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
  columns: process.stderr.columns,
  outColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
};

export interface LabArgs {
  config?: string;
  provider?: Provider;
}

export function printWarnings(io: Io, warnings: Problem[]): void {
  for (const warning of warnings) io.err(`warning: ${formatProblem(warning)}`);
}

/** Loads the lab for a command and prints its warnings. */
export async function loadForCommand(io: Io, args: LabArgs): Promise<LoadedLab> {
  const loaded = await loadLab(io.cwd, { config: args.config, provider: args.provider });
  printWarnings(io, loaded.warnings);
  return loaded;
}

/** A path as the user should read it: relative to where they are, unless it is outside that. */
export function shownPath(io: Io, file: string): string {
  const relative = path.relative(io.cwd, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** The Vagrantfile path for a lab: --out, else beside the config. */
export function vagrantfilePath(io: Io, loaded: LoadedLab, out?: string): string {
  return out ? path.resolve(io.cwd, out) : path.join(path.dirname(loaded.file), "Vagrantfile");
}
