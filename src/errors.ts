// Typed errors of the library. Only the CLI prints them and turns `exitCode` into the
// process exit status; everything else throws.

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  vagrantMissing: 3,
  vagrantFailed: 4,
  boxBuildFailed: 5,
  /** `kvm-lab diff`: the lab differs from its config (like `terraform plan -detailed-exitcode`'s 2, which is usage here). */
  changesPending: 10,
  interrupted: 130,
} as const;

export interface Problem {
  /** Dot-path of the offending field, e.g. `machines[0].nics[1].ip`. */
  path: string;
  /** What is wrong, in the user's terms. */
  message: string;
  /** How to fix it, when there is one clear fix. */
  fix?: string;
  /** For problems in a file's text: the source lines, the last with a caret under the spot. */
  frame?: string;
}

/** One line per problem, `path: message; fix`, then its code frame (if any) indented below. */
export function formatProblem(problem: Problem): string {
  const where = problem.path ? `${problem.path}: ` : "";
  const line = problem.fix ? `${where}${problem.message}; ${problem.fix}` : `${where}${problem.message}`;
  return problem.frame ? `${line}\n${problem.frame.replace(/^/gm, "    ")}` : line;
}

export class KvmLabError extends Error {
  readonly code: string = "KVM_LAB_ERROR";
  readonly exitCode: number = EXIT.usage;
  readonly hint?: string;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad command-line usage: unknown option values, missing arguments. */
export class UsageError extends KvmLabError {
  override readonly code = "USAGE";
}

/** The config could not be loaded or has problems; `problems` lists every one of them. */
export class ConfigError extends KvmLabError {
  override readonly code = "CONFIG_INVALID";
  readonly problems: Problem[];
  readonly file?: string;

  constructor(problems: Problem[], options: { file?: string; cause?: unknown; hint?: string } = {}) {
    const where = options.file ? ` in ${options.file}` : "";
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`${count}${where}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`, options);
    this.problems = problems;
    this.file = options.file;
  }
}

/** Refusal to overwrite a file kvm-lab did not write, or one edited by hand since. */
export class OverwriteRefusedError extends KvmLabError {
  override readonly code = "OVERWRITE_REFUSED";
}

/** `render --check`: the Vagrantfile on disk is not what the config renders to. */
export class OutOfDateError extends KvmLabError {
  override readonly code = "OUT_OF_DATE";
  override readonly exitCode = EXIT.checkFailed;
}

export class VagrantMissingError extends KvmLabError {
  override readonly code = "VAGRANT_MISSING";
  override readonly exitCode = EXIT.vagrantMissing;
}

export class VagrantTooOldError extends KvmLabError {
  override readonly code = "VAGRANT_TOO_OLD";
  override readonly exitCode = EXIT.vagrantMissing;
}

/** vagrant ran and failed; `stderr` keeps what it said. */
export class VagrantFailedError extends KvmLabError {
  override readonly code = "VAGRANT_FAILED";
  override readonly exitCode = EXIT.vagrantFailed;
  readonly command: string;
  readonly stderr: string;

  constructor(command: string, stderr: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`${command} failed${stderr.trim() ? `:\n${stderr.trim()}` : ""}`, options);
    this.command = command;
    this.stderr = stderr;
  }
}

/** A box build step failed; `log` is where its full output is (the build folder is removed). */
export class BoxBuildError extends KvmLabError {
  override readonly code = "BOX_BUILD_FAILED";
  override readonly exitCode = EXIT.boxBuildFailed;
}

/** The user interrupted (Ctrl-C) or the process was asked to stop; cleanup has run. */
export class InterruptedError extends KvmLabError {
  override readonly code = "INTERRUPTED";
  override readonly exitCode = EXIT.interrupted;
}

/** An error carrying one problem per machine or host: the message, then each problem on a line of its own. */
export abstract class ProblemListError extends KvmLabError {
  readonly problems: Problem[];

  constructor(message: string, problems: Problem[], options: { hint?: string; cause?: unknown; after?: string } = {}) {
    super(`${message}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}${options.after ?? ""}`, options);
    this.problems = problems;
  }
}

/** A lab command needs machines the provider has not created or that are not running (`snapshot save` of a lab that is not up). */
export class LabNotUpError extends ProblemListError {
  override readonly code = "LAB_NOT_UP";
  override readonly exitCode = EXIT.vagrantFailed;
}

/** Hosts of a lab that cannot take its machines (unreachable, no libvirtd, not enough memory...): every problem of every host, found before anything boots. */
export class HostPreflightError extends ProblemListError {
  override readonly code = "HOST_PREFLIGHT";
  override readonly exitCode = EXIT.vagrantMissing;
}

/** The networks that span hosts could not be made or removed on some hosts (fabric/): each host's failure. */
export class FabricError extends ProblemListError {
  override readonly code = "FABRIC_FAILED";
  override readonly exitCode = EXIT.vagrantFailed;
}

/** The provider's own tool (virsh, VBoxManage) is not installed or cannot be run. */
export class ProviderToolMissingError extends KvmLabError {
  override readonly code = "PROVIDER_TOOL_MISSING";
  override readonly exitCode = EXIT.vagrantMissing;
}

/**
 * A snapshot step failed on some machines (the others went ahead); `problems` names each failed
 * machine with the provider tool's own words and, where known, the fix.
 */
export class SnapshotFailedError extends ProblemListError {
  override readonly code = "SNAPSHOT_FAILED";
  override readonly exitCode = EXIT.vagrantFailed;
  /** The machines the step did succeed on. */
  readonly done: string[];

  constructor(message: string, problems: Problem[], done: string[], options: { hint?: string; cause?: unknown } = {}) {
    super(message, problems, { ...options, after: done.length ? `\n  done on: ${done.join(", ")}` : "" });
    this.done = done;
  }
}
