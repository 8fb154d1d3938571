// Shell completion for kvm-lab. `kvm-lab completion bash|zsh` prints a small script that,
// at each TAB, asks the hidden `kvm-lab __complete CWORD WORD...` for the candidates: the
// commands and each command's flags and choices (read from the command table, as --help
// is), the machine names of the lab config in the current folder (or --config), the
// snapshot names kvm-lab recorded for that lab, and the box recipes. A candidate list of
// `:files` or `:dirs` hands over to the shell's own
// file-name completion.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findConfigFile, importConfig } from "../config/load.js";
import { listRecipeNames } from "../boxes/registry.js";
import { readRecord } from "../snapshots/record.js";
import { shellWord } from "../text/shell.js";
import type { Io } from "./context.js";
import { commandIn, flagsOfCommand, type CommandSpec } from "./main.js";
import { positionalsOf } from "./usage.js";

export const SHELLS = ["bash", "zsh"] as const;
export type Shell = (typeof SHELLS)[number];

/** Flags whose value is a path: the shell completes file names for them. */
const PATH_FLAGS = new Set(["config", "out", "junit", "cache"]);
const FILES = ":files";
const DIRS = ":dirs";

/** The command line that runs this very kvm-lab (node and the bin beside this file), for the script. */
function selfCommand(): string {
  const bin = fileURLToPath(new URL("./bin.js", import.meta.url));
  return `${shellWord(process.execPath)} ${shellWord(bin)}`;
}

/** The completion script for `shell`. */
export function completionScript(shell: Shell): string {
  const self = selfCommand();
  if (shell === "bash") {
    return `# kvm-lab completion for bash. Load it with: source <(kvm-lab completion bash)
# or save it: kvm-lab completion bash > /etc/bash_completion.d/kvm-lab
# It runs the kvm-lab it was printed by (below): print it again if that one moves.
_kvm_lab() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" IFS=$'\\n'
  local -a replies
  replies=($(${self} __complete "$COMP_CWORD" "\${COMP_WORDS[@]}" 2>/dev/null))
  [[ "$cur" == "=" ]] && cur=""
  case "\${replies[0]}" in
    ${FILES}) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null || true ;;
    ${DIRS}) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null || true ;;
    *) COMPREPLY=("\${replies[@]}") ;;
  esac
}
complete -F _kvm_lab kvm-lab
`;
  }
  return `#compdef kvm-lab
# kvm-lab completion for zsh. Load it with: source <(kvm-lab completion zsh) (in ~/.zshrc)
# or save it as _kvm-lab in a folder of your $fpath.
# It runs the kvm-lab it was printed by (below): print it again if that one moves.
_kvm_lab() {
  local -a replies
  replies=(\${(f)"$(${self} __complete $((CURRENT - 1)) "\${words[@]}" 2>/dev/null)"})
  case "\${replies[1]}" in
    ${FILES}) _files ;;
    ${DIRS}) _files -/ ;;
    *) compadd -- "\${replies[@]}" ;;
  esac
}
if ! (( $+functions[compdef] )); then
  autoload -Uz compinit && compinit
fi
compdef _kvm_lab kvm-lab
`;
}

/** `kvm-lab completion <shell>`: prints the script. */
export async function completionCommand(io: Io, args: { shell: Shell }): Promise<number> {
  io.out(completionScript(args.shell).trimEnd());
  return 0;
}

/** `kvm-lab __complete CWORD WORD...`: one candidate a line for the word at CWORD (WORD 0 is the program). */
export async function completeCommand(io: Io, argv: string[], commands: CommandSpec[]): Promise<number> {
  const cword = Number(argv[0]);
  const words = argv.slice(1);
  if (!Number.isInteger(cword) || cword < 1) return 0;
  for (const candidate of await candidatesFor(io.cwd, words, cword, commands)) io.out(candidate);
  return 0;
}

/** The flag a value is being given to, for `--flag VALUE`, `--flag=VALUE` (bash splits off the =) and `-f VALUE`. */
function flagBefore(words: string[], cword: number): { flag: string; prefix: string } | undefined {
  const current = words[cword] ?? "";
  if (current === "=" && words[cword - 1]?.startsWith("--")) return { flag: words[cword - 1].slice(2), prefix: "" };
  if (words[cword - 1] === "=" && words[cword - 2]?.startsWith("--")) return { flag: words[cword - 2].slice(2), prefix: current };
  const joined = /^--([^=]+)=(.*)$/.exec(current); // zsh keeps --flag=value in one word
  if (joined) return { flag: joined[1], prefix: joined[2] };
  const previous = words[cword - 1];
  if (previous && /^--?[^-]/.test(previous) && !previous.includes("=")) return { flag: previous.replace(/^--?/, ""), prefix: current };
  return undefined;
}

/** The candidates for the word at `cword`, filtered by what is typed of it. */
export async function candidatesFor(cwd: string, words: string[], cword: number, commands: CommandSpec[]): Promise<string[]> {
  const before = words.slice(1, cword).filter((word) => word !== "=");
  const spec = commandIn(before);
  const facts = flagsOfCommand(spec);
  const current = words[cword] ?? "";
  const starting = (prefix: string) => (candidates: string[]) => candidates.filter((c) => c.startsWith(prefix));

  // 1. A value for the flag before it.
  const valueFor = flagBefore(words, cword);
  if (valueFor) {
    const key = facts.canonical[valueFor.flag];
    if (key && (facts.valued.includes(key) || facts.arrays.includes(key))) {
      if (facts.choices[key]) return starting(valueFor.prefix)(facts.choices[key]);
      return PATH_FLAGS.has(key) ? [FILES] : [];
    }
  }
  // 2. A flag.
  if (current.startsWith("-")) {
    const given = new Set(before.filter((w) => w.startsWith("-")).map((w) => facts.canonical[w.replace(/^--?/, "").split("=")[0]]));
    return starting(current)(facts.long.filter((name) => facts.canonical[name] === name && !given.has(name)).map((name) => `--${name}`));
  }
  // 3. The command.
  if (!spec) return starting(current)(commands.map((c) => c.command.split(" ")[0]));
  // 4. A positional: which one, counting the words after the command that are not flags or their values.
  const positionals = positionalsOf(spec.command);
  const variadic = /\.\.[\]>]/.test(spec.command);
  const given: string[] = [];
  const after = before.slice(before.indexOf(spec.command.split(" ")[0]) + 1);
  for (let i = 0; i < after.length; i++) {
    const word = after[i];
    if (word.startsWith("-")) {
      const key = facts.canonical[word.replace(/^--?/, "").split("=")[0]];
      if (key && facts.valued.includes(key) && !word.includes("=")) i++;
      continue;
    }
    given.push(word);
  }
  const index = Math.min(given.length, positionals.length - 1);
  if (index < 0 || (given.length >= positionals.length && !variadic)) return [];
  const name = positionals[index];
  const typed = starting(current);
  if (name === "machine") return typed((await machineNames(cwd, configIn(before, facts))).filter((m) => !given.includes(m)));
  if (name === "recipe") return given[0] === "build" || given[0] === "version" ? typed(await listRecipeNames().catch(() => [])) : [];
  if (name === "dir") return [DIRS];
  if (name === "name" && ["restore", "delete", "save"].includes(given[0])) return typed(await snapshotNames(cwd, configIn(before, facts)));
  return typed(facts.choices[name] ?? []); // a positional's choices, recorded by yargs as a flag's are
}

/** The --config given on the command line, if any. */
function configIn(words: string[], facts: ReturnType<typeof flagsOfCommand>): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const [flag, value] = words[i].replace(/^--?/, "").split("=");
    if (words[i].startsWith("-") && facts.canonical[flag] === "config") return value ?? words[i + 1];
  }
  return undefined;
}

/** The snapshot names kvm-lab recorded for the lab (.kvm-lab/snapshots.json beside its config); nothing when none. */
async function snapshotNames(cwd: string, config?: string): Promise<string[]> {
  try {
    const file = await findConfigFile(cwd, config && path.resolve(cwd, config));
    const record = await readRecord(path.join(path.dirname(file), ".kvm-lab"));
    return [...new Set(record.snapshots.map((s) => s.name))];
  } catch {
    return [];
  }
}

/**
 * The machine names of the lab config, read without checking or rendering it, so a config
 * with a problem elsewhere still completes. Nothing when there is no config.
 */
async function machineNames(cwd: string, config?: string): Promise<string[]> {
  try {
    const raw = (await importConfig(await findConfigFile(cwd, config && path.resolve(cwd, config)))) as { machines?: { name?: unknown }[] };
    return (raw.machines ?? []).map((m) => m?.name).filter((name): name is string => typeof name === "string");
  } catch {
    return [];
  }
}
