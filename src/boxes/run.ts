// Running the build's external tools: argv arrays, output appended to the build log, and a
// failure turned into a BoxBuildError that names the step and shows the end of its output.
import fs from "fs-extra";
import { BoxBuildError } from "../errors.js";
import { runProcess, stopRunningProcesses } from "../process/run.js";

export interface RunContext {
  /** The build log every command's output is appended to. */
  log: string;
  /** What the current step is, for error messages. */
  step: string;
  /** Set for every tool the build runs (TZ, SOURCE_DATE_EPOCH once known, ...). */
  env?: Record<string, string>;
}

export interface RunOptions {
  cwd?: string;
  input?: string;
  env?: Record<string, string>;
  /** Called with each line of output as it comes (progress). */
  onLine?: (line: string) => void;
  /** Output goes to the log only when the command fails (a tool that echoes thousands of lines). */
  quiet?: boolean;
}

/** Stops every tool the build is running, with all it started (on Ctrl-C or SIGTERM), so cleanup can start at once. */
export function stopRunningTools(): void {
  stopRunningProcesses();
}

/** PATH for build tools: the caller's, plus the sbin folders a plain user's PATH may lack. */
export function toolPath(): string {
  return `${process.env.PATH ?? "/usr/bin:/bin"}:/usr/sbin:/sbin`;
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Runs `command args...`; throws BoxBuildError on failure. Returns its stdout. */
export async function run(ctx: RunContext, command: string, args: string[], options: RunOptions = {}): Promise<string> {
  await fs.appendFile(ctx.log, `\n$ ${[command, ...args].join(" ")}\n`);
  // The log grows while the command runs, so a long step can be followed with tail -f.
  const log = fs.createWriteStream(ctx.log, { flags: "a" });
  // A group of its own: stopRunningTools ends the tool and its children (apt under chroot's shell).
  const result = await runProcess(command, args, {
    cwd: options.cwd,
    input: options.input,
    env: { PATH: toolPath(), ...ctx.env, ...options.env },
    onOutput: (chunk) => {
      if (!options.quiet) log.write(chunk);
    },
    onLine: options.onLine,
    linesOf: "all",
    group: true,
  });
  if (options.quiet && result.failed) log.write(result.all);
  await new Promise<void>((resolve) => log.end(resolve));
  const output = result.all;
  if (result.failed) {
    const why = result.notFound ? `${command} is not installed` : `${command} exited with ${result.exitCode}`;
    throw new BoxBuildError(`${ctx.step}: ${why}\n${tail(output)}`, { cause: result });
  }
  return result.stdout;
}

/** Runs a shell script inside the root file system. */
export function inChroot(
  ctx: RunContext,
  rootfs: string,
  script: string,
  options: { onLine?: (line: string) => void; env?: Record<string, string> } = {},
): Promise<string> {
  return run(ctx, "chroot", [rootfs, "/bin/sh", "-euc", script], {
    env: { DEBIAN_FRONTEND: "noninteractive", PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C.UTF-8", ...options.env },
    onLine: options.onLine,
  });
}
