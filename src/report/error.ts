// An error for programs (`--json`): `{"error": {code, message, hint, problems}}` with the
// same keys every time; `problems` lists a config error's problems (path, message, fix), or
// the machines a snapshot step failed on or found not up (path: the machine's name).
import { ConfigError, KvmLabError, LabNotUpError, SnapshotFailedError } from "../errors.js";

/** What an unexpected error (a bug, not a typed error) is called. */
export const UNEXPECTED = "UNEXPECTED";

/** The error as a plain object: typed errors by their code, anything else as UNEXPECTED. */
export function errorObject(error: unknown) {
  if (error instanceof KvmLabError) {
    const listed = error instanceof ConfigError || error instanceof LabNotUpError || error instanceof SnapshotFailedError;
    const problems = listed ? error.problems.map((p) => ({ path: p.path, message: p.message, fix: p.fix ?? null })) : [];
    return { error: { code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint ?? null, problems } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { error: { code: UNEXPECTED, exitCode: 70, message, hint: null, problems: [] as { path: string; message: string; fix: string | null }[] } };
}
