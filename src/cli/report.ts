import { KvmLabError, ConfigError } from "../errors.js";
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
