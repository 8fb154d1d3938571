// A config's problems for tests of the rules: the errors checkConfig refuses it with (none
// when it passes), its warnings, and the problem at one path.
import { checkConfig, type CheckOptions } from "../../src/config/load.js";
import { ConfigError, formatProblem, type Problem } from "../../src/errors.js";

/** The errors of a config; an empty list when it is accepted. */
export function problemsOf(config: unknown, options: CheckOptions = {}): Problem[] {
  try {
    checkConfig(config, options);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

/** The warnings of a config that is accepted (throws the ConfigError of one that is not). */
export function warningsOf(config: unknown, options: CheckOptions = {}): Problem[] {
  return checkConfig(config, options).warnings;
}

/** The first problem at `path`; fails, listing what there is, when there is none. */
export function problemAt(problems: Problem[], path: string): Problem {
  const found = problems.find((p) => p.path === path);
  if (!found) throw new Error(`no problem at ${path}; got:\n${problems.map(formatProblem).join("\n") || "(none)"}`);
  return found;
}
