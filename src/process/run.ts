// The one place kvm-lab starts external processes (vagrant, ssh, qemu, VBoxManage, the box
// builder's tools): argv arrays, never a shell string; bounded by a timeout that ends the
// process (its whole process group when it has one of its own); every process still
// running can be stopped at once on Ctrl-C. Failures are returned, not thrown: each caller
// maps them to its own typed error.
import { execa, type ResultPromise } from "execa";
import type { Readable, Writable } from "node:stream";

export interface ProcessOptions {
  cwd?: string;
  /** Added to this process's environment (or the whole environment with `extendEnv: false`). */
  env?: Record<string, string | undefined>;
  extendEnv?: boolean;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** "pipe" keeps stdin open for the caller (a session); default: ignored unless `input`. */
  stdin?: "ignore" | "pipe";
  /** End the process after this long (SIGTERM, then SIGKILL after `graceMs`). */
  timeoutMs?: number;
  /** How long a process may take to stop after SIGTERM; 0 kills it outright (default 5000). */
  graceMs?: number;
  /** A process group of its own, so a timeout or stop ends everything it started (vagrant's ruby and ssh, chroot's apt). */
  group?: boolean;
  /** Called with each complete line of stdout (or of both streams: `linesOf: "all"`) as it comes. */
  onLine?: (line: string) => void;
  linesOf?: "stdout" | "all";
  /** Called with each chunk of stdout and stderr in the order they came (a log file). */
  onOutput?: (chunk: Buffer) => void;
  /** false: do not keep the output (a long-lived session read through `stdout`). */
  buffer?: boolean;
}

export interface ProcessResult {
  /** `command args...`, for messages. */
  command: string;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved. */
  all: string;
  exitCode?: number;
  signal?: string;
  /** It ran past `timeoutMs` and was ended. */
  timedOut: boolean;
  /** The executable does not exist (ENOENT). */
  notFound: boolean;
  /** The executable exists but cannot be run (EACCES). */
  notExecutable: boolean;
  /** Anything but exit 0. */
  failed: boolean;
  /** Node's error code when it could not be started (ENOENT, EACCES...). */
  code?: string;
}

/** A started process: its streams, a way to end it, and its result once it has ended. */
export interface RunningProcess {
  pid?: number;
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  kill(signal?: NodeJS.Signals): void;
  result: Promise<ProcessResult>;
}

/** Processes running now (pid -> whether it leads a group of its own), for stopRunningProcesses. */
const running = new Map<number, boolean>();

function signalProcess(pid: number | undefined, group: boolean, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // gone already
  }
}

/** Stops every process started here that is still running (Ctrl-C), each with all it started. */
export function stopRunningProcesses(signal: NodeJS.Signals = "SIGTERM"): void {
  for (const [pid, group] of running) signalProcess(pid, group, signal);
}

/** Starts `command args...`; the caller reads its streams and awaits `result` (never rejects). */
export function startProcess(command: string, args: string[], options: ProcessOptions = {}): RunningProcess {
  const group = options.group ?? false;
  const child: ResultPromise = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.extendEnv ?? true,
    reject: false,
    encoding: "utf8",
    // Both streams merged only when someone reads them (an unread merge would hold up a session's stdout).
    all: (options.buffer ?? true) || Boolean(options.onOutput) || options.linesOf === "all",
    buffer: options.buffer ?? true,
    ...(options.input !== undefined ? { input: options.input } : { stdin: options.stdin ?? "ignore" }),
    detached: group,
  });
  const pid = child.pid;
  if (pid !== undefined) running.set(pid, group);
  if (options.onLine) {
    let pending = "";
    const stream = options.linesOf === "all" ? child.all : child.stdout;
    stream?.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString("utf8")).split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(options.onLine!);
    });
  }
  if (options.onOutput) child.all?.on("data", options.onOutput);
  let timedOut = false;
  const grace = options.graceMs ?? 5000;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          signalProcess(pid, group, grace === 0 ? "SIGKILL" : "SIGTERM");
          if (grace > 0) setTimeout(() => signalProcess(pid, group, "SIGKILL"), grace).unref();
        }, options.timeoutMs);
  const command_ = [command, ...args].join(" ");
  const result = child.then((r) => {
    if (timer) clearTimeout(timer);
    if (pid !== undefined) running.delete(pid);
    const code = (r as { code?: string }).code;
    const exitCode = r.exitCode ?? undefined;
    return {
      command: command_,
      stdout: String(r.stdout ?? ""),
      stderr: String(r.stderr ?? ""),
      all: String(r.all ?? ""),
      exitCode,
      signal: r.signal ?? undefined,
      timedOut,
      notFound: code === "ENOENT",
      notExecutable: code === "EACCES",
      failed: Boolean(r.failed) || timedOut,
      code,
    } satisfies ProcessResult;
  });
  return {
    pid,
    stdin: child.stdin ?? undefined,
    stdout: child.stdout ?? undefined,
    stderr: child.stderr ?? undefined,
    kill: (signal = "SIGTERM") => signalProcess(pid, group, signal),
    result,
  };
}

/** Runs `command args...` to its end; the result says how it ended (never rejects). */
export function runProcess(command: string, args: string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  return startProcess(command, args, options).result;
}
