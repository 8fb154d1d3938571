// Runs the built kvm-lab binary as a user would (npm test builds it first).
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { ROOT, VAGRANT_HOME } from "./tools.js";

export const BIN = path.join(ROOT, "dist", "cli", "bin.js");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function kvmLab(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  if (!(await fs.pathExists(BIN))) throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
  const result = await execa("node", [BIN, ...args], {
    cwd: options.cwd,
    env: { VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1", ...options.env },
    reject: false,
    stdin: "ignore",
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export const CREATE_BIN = path.join(ROOT, "dist", "create", "bin.js");

/** The built create-kvm-lab, without a terminal (so it never asks). */
export async function createKvmLab(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const result = await execa("node", [CREATE_BIN, ...args], { cwd: options.cwd, env: options.env, reject: false, stdin: "ignore" });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
