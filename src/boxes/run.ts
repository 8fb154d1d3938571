// Running the build's external tools: argv arrays, output appended to the build log, and a
// failure turned into a BoxBuildError that names the step and shows the end of its output.
import fs from "fs-extra";
import { execa } from "execa";
import { BoxBuildError } from "../errors.js";

export interface RunContext {
  /** The build log every command's output is appended to. */
  log: string;
  /** What the current step is, for error messages. */
  step: string;
}

export interface RunOptions {
  cwd?: string;
  input?: string;
  env?: Record<string, string>;
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Runs `command args...`; throws BoxBuildError on failure. Returns its stdout. */
export async function run(ctx: RunContext, command: string, args: string[], options: RunOptions = {}): Promise<string> {
  await fs.appendFile(ctx.log, `\n$ ${[command, ...args].join(" ")}\n`);
  const result = await execa(command, args, {
    cwd: options.cwd,
    input: options.input,
    env: options.env,
    reject: false,
    all: true,
    stdin: options.input === undefined ? "ignore" : undefined,
  });
  const output = String(result.all ?? "");
  await fs.appendFile(ctx.log, output.endsWith("\n") || !output ? output : `${output}\n`);
  if (result.failed) {
    const why = result.code === "ENOENT" ? `${command} is not installed` : `${command} exited with ${result.exitCode}`;
    throw new BoxBuildError(`${ctx.step}: ${why}\n${tail(output)}`, { cause: result });
  }
  return String(result.stdout ?? "");
}

/** Runs a shell script inside the root file system. */
export function inChroot(ctx: RunContext, rootfs: string, script: string): Promise<string> {
  return run(ctx, "chroot", [rootfs, "/bin/sh", "-euc", script], {
    env: { DEBIAN_FRONTEND: "noninteractive", PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C.UTF-8" },
  });
}
