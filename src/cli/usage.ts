// What the command line accepts, read from the yargs builders themselves (so the command
// table stays the one registry for help, checks and completion), and yargs' complaints
// turned into UsageErrors that name the flag and the fix.
import yargs, { type Argv } from "yargs";
import { UsageError } from "../errors.js";
import { closest } from "../config/suggest.js";

/** The flags a command (or the top level) accepts, as its builder declared them. */
export interface FlagFacts {
  /** Every flag name and alias, without dashes: "config", "c", "help". */
  names: string[];
  /** Long names only (the ones worth suggesting and completing). */
  long: string[];
  booleans: string[];
  arrays: string[];
  /** Flags that take a value (neither boolean nor array). */
  valued: string[];
  choices: Record<string, string[]>;
  /** Each name to its canonical one ("c" -> "config"). */
  canonical: Record<string, string>;
}

/** The part of yargs' own record of declared options read here (`getOptions()`, untyped in @types/yargs). */
interface DeclaredOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  boolean: string[];
  array: string[];
  choices: Record<string, unknown[]>;
}

/** The positional names of a yargs command string: "box <action> [recipe]" -> action, recipe. */
export function positionalsOf(command: string): string[] {
  return [...command.matchAll(/[<[]([^\]>.]+)(?:\.\.)?[\]>]/g)].map((m) => m[1]);
}

/** Reads the flags a builder declares, by running it on an empty parser; `positionals` are not flags. */
export function flagFactsOf(build: (y: Argv) => Argv, positionals: string[] = []): FlagFacts {
  const parser = build(yargs([]).help().version()) as unknown as { getOptions(): DeclaredOptions };
  const options = parser.getOptions();
  const canonical: Record<string, string> = {};
  for (const key of Object.keys(options.key)) canonical[key] = key;
  for (const [key, aliases] of Object.entries(options.alias)) for (const alias of aliases) canonical[alias] = key;
  const positional = new Set(positionals);
  const names = Object.keys(canonical).filter((name) => !positional.has(canonical[name]));
  const primary = [...new Set(names.map((name) => canonical[name]))];
  const booleans = primary.filter((key) => options.boolean.includes(key));
  const arrays = primary.filter((key) => options.array.includes(key));
  const choices: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(options.choices)) choices[key] = values.map(String);
  return {
    names,
    long: names.filter((name) => name.length > 1).sort(),
    booleans,
    arrays,
    valued: primary.filter((key) => !booleans.includes(key) && !arrays.includes(key)),
    choices,
    canonical,
  };
}

/** A builder that also refuses a valued flag given without its value (`render --config` alone). */
export function requiringValues(build: (y: Argv) => Argv, positionals: string[] = []): (y: Argv) => Argv {
  return (y) => {
    const built = build(y);
    const facts = flagFactsOf(build, positionals);
    return facts.valued.length ? built.requiresArg(facts.valued) : built;
  };
}

/** A list flag given with no value (`check --only` alone) is refused, naming it. */
export function checkListsHaveValues(args: Record<string, unknown>, facts: FlagFacts): void {
  for (const key of facts.arrays) {
    const value = args[key];
    if (Array.isArray(value) && value.length === 0) {
      const choices = facts.choices[key];
      throw new UsageError(`--${key} needs at least one value`, {
        hint: choices ? `--${key} ${choices[0]} [${choices.slice(1).join(" ")} ...], or leave --${key} out` : `give --${key} a value, or leave it out`,
      });
    }
  }
}

/** The word after each flag that takes a value, so it is not read as a command or argument. */
function flagTokens(argv: string[]): { flags: string[]; words: string[] } {
  const flags: string[] = [];
  const words: string[] = [];
  for (const token of argv) {
    if (token === "--") break;
    if (/^-/.test(token) && token !== "-") flags.push(token);
    else words.push(token);
  }
  return { flags, words };
}

/** `--templat` or `-z` as the flag's name and its dashes. */
function flagName(token: string): { dashes: string; name: string } {
  const match = /^(-{1,2})([^=]*)/.exec(token)!;
  return { dashes: match[1], name: match[2] };
}

/** The flags in `argv` the command does not know, each with the nearest known one. */
function unknownFlags(argv: string[], facts: FlagFacts): string[] {
  const problems: string[] = [];
  for (const token of flagTokens(argv).flags) {
    const { dashes, name } = flagName(token);
    const names = dashes === "-" && name.length > 1 ? name.split("") : [name]; // -yf is -y -f
    for (const one of names) {
      const bare = one.startsWith("no-") && facts.names.includes(one.slice(3)) ? one.slice(3) : one;
      if (facts.names.includes(bare) || facts.names.includes(camelToKebab(bare))) continue;
      const shown = `${one.length > 1 ? "--" : "-"}${one}`;
      const near = one.length > 1 ? closest(one, facts.long) : undefined;
      problems.push(near ? `unknown option ${shown} (did you mean --${near}?)` : `unknown option ${shown}`);
    }
  }
  return problems;
}

function camelToKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export interface UsageContext {
  program: string;
  argv: string[];
  /** The flags of the command being run (or of the program, when none is). */
  facts: FlagFacts;
  /** The command's name as typed, for the hint ("render"), if any. */
  command?: string;
  /** The command with its arguments, as declared: "box <action> [recipe]". */
  usage?: string;
}

/** yargs' complaint (English, see main's .locale) as a UsageError naming the flag and the fix. */
export function usageErrorOf(message: string, context: UsageContext): UsageError {
  const help = `run ${context.program}${context.command ? ` ${context.command}` : ""} --help for the options`;
  const needsValue = /^Not enough arguments following: (.+)$/.exec(message);
  if (needsValue) {
    const key = context.facts.canonical[needsValue[1]] ?? needsValue[1];
    const choices = context.facts.choices[key];
    return new UsageError(`--${key} needs a value`, {
      hint: choices ? `--${key} ${choices.join("|")}` : `give --${key} a value (--${key} VALUE), or leave it out`,
    });
  }
  if (/^Unknown arguments?:/.test(message)) {
    const problems = unknownFlags(context.argv, context.facts);
    if (problems.length) return new UsageError(problems.join("; "), { hint: help });
    const extra = message.replace(/^Unknown arguments?:\s*/, "");
    return new UsageError(`unexpected argument${extra.includes(",") ? "s" : ""}: ${extra}`, { hint: help });
  }
  if (/^Not enough non-option arguments/.test(message) && context.usage) {
    const needed = context.usage.split(" ").filter((word) => word.startsWith("<"));
    return new UsageError(`${context.command} needs ${needed.join(" ")}`, { hint: `${context.program} ${context.usage} (${help})` });
  }
  // yargs' choices check (yargs lib/validation.js, validation.limitedChoices): a line
  // `Argument: X, Given: "v", Choices: "a", "b"` per bad value.
  const invalid = [...message.matchAll(/Argument: ([^,]+), Given: (.+), Choices: (.+)$/gm)];
  if (/^Invalid values?:/.test(message) && invalid.length) {
    const positional = (key: string) => new RegExp(`[<\\[]${key}[\\]>.]`).test(context.usage ?? "");
    const named = (key: string) => (positional(key) ? key : `--${key}`);
    const said = invalid.map(([, key, given, choices]) => `${named(key)}: ${given} is not one of ${choices.replace(/"/g, "")}`);
    return new UsageError(said.join("; "), { hint: `use one of the values named (${help})` });
  }
  const conflict = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
  if (conflict) {
    return new UsageError(`--${conflict[1]} and --${conflict[2]} cannot be used together`, {
      hint: `pass one of them (${help})`,
    });
  }
  return new UsageError(message, { hint: help });
}
