// Errors for people (stderr: the message, then the hint) and, in --json mode, for programs
// as well (stdout: `{"error": {...}}`); the exit code is the error's either way.
import { KvmLabError, ConfigError } from "../errors.js";
import { errorObject } from "../report/error.js";
import type { Io } from "./context.js";

/** Prints an error for people: the message, then the hint. Returns the exit code. */
export function report(io: Io, error: unknown, program = "kvm-lab"): number {
  if (error instanceof KvmLabError) {
    io.err(error instanceof ConfigError ? `${program}: config has ${error.message}` : `${program}: ${error.message}`);
    if (error.hint) io.err(`hint: ${error.hint}`);
    return error.exitCode;
  }
  io.err(`${program}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 70;
}

/** Whether the command line asks for JSON (`--json`, `--json=true`), parsed or not. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--json" || a === "--json=true");
}

/** Prints an error for people on stderr and, with --json, as JSON on stdout too. Returns the exit code. */
export function reportError(io: Io, error: unknown, argv: readonly string[]): number {
  const code = report(io, error);
  if (wantsJson(argv)) io.out(JSON.stringify(errorObject(error), null, 2));
  return code;
}
