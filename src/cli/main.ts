// The kvm-lab command line: a table of commands, each imported only when run, and one
// handler that turns errors into messages and exit codes. The only code that prints.
import yargs, { type Argv } from "yargs";
import { EXIT, UsageError } from "../errors.js";
import { PROVIDERS } from "../config/types.js";
import { CHECK_IDS } from "../checks/ids.js";
import { TOPOLOGY_FORMATS } from "../net/draw/index.js";
import { processIo, type Io } from "./context.js";
import { reportError } from "./report.js";
import { createOptions } from "./create.js";
import { checkListsHaveValues, flagFactsOf, positionalsOf, requiringValues, usageErrorOf, type FlagFacts } from "./usage.js";

type Args = Record<string, unknown>;

export interface CommandSpec {
  command: string;
  describe: string;
  options: (y: Argv) => Argv;
  run: (io: Io, args: Args) => Promise<number>;
}

/** The exit codes, for --help (the README lists the same). */
export const EXIT_CODES_TEXT =
  "Exit codes: 0 ok, 1 check failed or the Vagrantfile on disk is not the config's, 2 bad usage or config, " +
  "3 vagrant missing or too old (or virsh, VBoxManage missing, or a lab host that cannot take its machines), 4 vagrant failed (or a provider's snapshot step, the lab is not up, or the networks spanning hosts), 5 box build failed, 10 diff: changes pending, 130 interrupted (Ctrl-C), 70 kvm-lab's own bug.";

const labOptions = (y: Argv) =>
  y
    .option("config", { alias: "c", type: "string", describe: "lab config file (default: kvm-lab.config.{ts,mts,js,mjs,json})" })
    .option("provider", { alias: "p", choices: PROVIDERS, describe: "override the config's provider" });

/** up and test: go ahead when the lab does not fit the host's memory or CPUs (src/host/fit.ts). */
const OVERCOMMIT_OPTION = ["allow-overcommit", { type: "boolean", describe: "bring the lab up even when its memory or vCPUs do not fit this host" }] as const;

const COMMANDS: CommandSpec[] = [
  {
    command: "render",
    describe: "Render the lab's Vagrantfile",
    options: (y) =>
      labOptions(y)
        .option("out", { alias: "o", type: "string", describe: "where to write (default: Vagrantfile beside the config)" })
        .option("stdout", { type: "boolean", describe: "print instead of writing", conflicts: ["check", "force"] })
        .option("check", { type: "boolean", describe: "exit 1 when the Vagrantfile on disk differs (for CI); writes nothing", conflicts: "force" })
        .option("force", {
          type: "boolean",
          describe: "overwrite a Vagrantfile kvm-lab did not write or that was edited (kept as <file>.kvm-lab.bak, .bak.1, ...)",
        }),
    run: async (io, args) => (await import("./commands/render.js")).renderCommand(io, args),
  },
  {
    command: "validate",
    describe: "Check the config, that the Vagrantfile on disk is what it renders, and `vagrant validate` on that file",
    options: (y) =>
      labOptions(y).option("vagrantfile", { type: "string", describe: "the Vagrantfile to check (default: beside the config; as render --out wrote it)" }),
    run: async (io, args) => (await import("./commands/validate.js")).validateCommand(io, args),
  },
  {
    command: "plan",
    describe: "Show each machine's adapters and what each network mode reaches",
    options: (y) =>
      labOptions(y)
        .option("json", { type: "boolean", describe: "print JSON" })
        .option("matrix", { type: "boolean", describe: "what should reach what: every machine, host and outside pair with the mode's rule" }),
    run: async (io, args) => (await import("./commands/plan.js")).planCommand(io, args),
  },
  {
    command: "topology",
    describe: "Draw the lab's machines and networks (Mermaid for READMEs, DOT, or SVG)",
    options: (y) =>
      labOptions(y)
        .option("format", { alias: "f", choices: TOPOLOGY_FORMATS, describe: "what to draw (default: from --out's extension, else mermaid)" })
        .option("out", { alias: "o", type: "string", describe: "write to this file instead of stdout (.svg, .dot/.gv, .mmd/.md)" }),
    run: async (io, args) => (await import("./commands/topology.js")).topologyCommand(io, args as never),
  },
  {
    command: "up [machine..]",
    describe: "Bring the lab up, doing only what changed since the last up (see diff); nothing when it runs as configured",
    options: (y) =>
      labOptions(y)
        .option("force", { type: "boolean", describe: "overwrite a hand-edited Vagrantfile" })
        .option("always", { type: "boolean", describe: "skip the comparison: vagrant up every machine, as before kvm-lab kept records (nothing is re-created)" })
        .option(...OVERCOMMIT_OPTION),
    run: async (io, args) => (await import("./commands/up.js")).upCommand(io, args),
  },
  {
    command: "diff [machine..]",
    describe: "Show what up would do: config vs the last up, the Vagrantfile on disk, and the running machines (exit 10 when something is pending)",
    options: (y) =>
      labOptions(y)
        .option("json", { type: "boolean", describe: "print JSON" })
        .epilogue(
          "Each change: + added, - removed, ~ changed in the config since the last up, ! changed on the machine outside kvm-lab; " +
            "[provision|reload|re-create|nothing] is what it needs. Machines no longer in the config are listed with the commands that remove them.\n" +
            "Exit codes: 0 nothing to do, 10 changes pending, 2 bad usage or config, 3 virsh or VBoxManage missing or failing, 70 kvm-lab's own bug.",
        ),
    run: async (io, args) => (await import("./commands/diff.js")).diffCommand(io, args),
  },
  {
    command: "check [machine..]",
    describe: "Run the in-guest KVM checks over SSH (exit 1 when a required check fails)",
    options: (y) =>
      labOptions(y)
        .option("json", { type: "boolean", describe: "print JSON" })
        .option("junit", { type: "string", describe: "also write JUnit XML to this file" })
        .option("only", { type: "array", choices: CHECK_IDS, describe: "run only these checks (the exit code speaks for them alone)" })
        .option("network", { type: "boolean", describe: "instead: prove each network mode's reachability live (see plan --matrix)" })
        .option("outside", { type: "string", describe: "with --network: the stand-in outside address, ADDRESS[:PORT] (never probed otherwise)" }),
    run: async (io, args) => (await import("./commands/lab.js")).checkCommand(io, args),
  },
  {
    command: "test",
    describe: "render, up, check, destroy in one command, for CI (destroys even on failure or Ctrl-C); --reuse: restore a clean snapshot instead, keep the lab",
    options: (y) =>
      labOptions(y)
        .option("json", { type: "boolean", describe: "print JSON" })
        .option("junit", { type: "string", describe: "also write JUnit XML to this file" })
        .option("keep", { type: "boolean", describe: "leave the machines running" })
        .option("reuse", {
          type: "boolean",
          describe: 'fast re-runs: restore the lab\'s clean snapshot instead of destroy + up when the config is unchanged; else up and save it. Never destroys',
        })
        .option("network", { type: "boolean", describe: "after the KVM checks, prove the network matrix live too (see check --network)" })
        .option("outside", { type: "string", describe: "with --network: the stand-in outside address, ADDRESS[:PORT]" })
        .option("force", { type: "boolean", describe: "overwrite a hand-edited Vagrantfile" })
        .option(...OVERCOMMIT_OPTION),
    run: async (io, args) => (await import("./commands/lab.js")).testCommand(io, args),
  },
  {
    command: "snapshot <action> [name]",
    describe: "Save, restore, list or delete a snapshot of every machine of the lab at once (with memory: a restore does not reboot)",
    options: (y) =>
      labOptions(y)
        .positional("action", { choices: ["save", "restore", "list", "delete"] as const, describe: "what to do" })
        .positional("name", { type: "string", describe: 'the snapshot (default for save and restore: "default"; test --reuse and reset use "clean")' })
        .option("force", { type: "boolean", describe: "save: replace a snapshot of the same name" })
        .option("json", { type: "boolean", describe: "print JSON" })
        .example("$0 snapshot save before-upgrade", "snapshot every machine, named before-upgrade")
        .example("$0 snapshot restore before-upgrade", "bring every machine back to it (running, no boot)")
        .epilogue(
          "Snapshots are internal qcow2 snapshots on libvirt (virsh, as vagrant-libvirt makes them) and VirtualBox snapshots (VBoxManage, as Vagrant makes them): " +
            "`vagrant snapshot list` shows them too. kvm-lab records each in .kvm-lab/snapshots.json with the config's digest; list joins that with what the provider holds.",
        ),
    run: async (io, args) => (await import("./commands/snapshot.js")).snapshotCommand(io, args as never),
  },
  {
    command: "reset",
    describe: 'Restore the lab\'s clean snapshot (saved by test --reuse, or by snapshot save clean)',
    options: (y) => labOptions(y).option("json", { type: "boolean", describe: "print JSON" }),
    run: async (io, args) => (await import("./commands/snapshot.js")).resetCommand(io, args as never),
  },
  {
    command: "status [machine..]",
    describe: "Show each machine's state",
    options: (y) => labOptions(y).option("json", { type: "boolean", describe: "print JSON" }),
    run: async (io, args) => (await import("./commands/lab.js")).statusCommand(io, args),
  },
  {
    command: "destroy [machine..]",
    describe: "Destroy the lab's machines (all of them when none is named)",
    options: labOptions,
    run: async (io, args) => (await import("./commands/lab.js")).destroyCommand(io, args),
  },
  {
    command: "ssh-config [machine..]",
    describe: "Print the SSH config of the machines (as written to .kvm-lab/ssh-config)",
    options: (y) => labOptions(y).option("json", { type: "boolean", describe: "print JSON" }),
    run: async (io, args) => (await import("./commands/lab.js")).sshConfigCommand(io, args),
  },
  {
    command: "init [dir]",
    describe: "Start a lab project from a template, in this folder unless one is named (as create-kvm-lab)",
    options: (y) => createOptions(y, { dirDefault: "the current folder" }),
    run: async (io, args) => (await import("./commands/create.js")).createCommand(io, { ...args, dir: (args.dir as string | undefined) ?? "." }),
  },
  {
    command: "box <action> [recipe]",
    describe: "Build KVM-ready Vagrant boxes from Debian's packages (box list, box build <recipe>, box version <recipe>)",
    options: (y) =>
      y
        .positional("action", { choices: ["build", "list", "version"] as const, describe: "list the recipes, build one, or print one's content version" })
        .positional("recipe", { type: "string", describe: "the recipe to build (see box list)" })
        .option("provider", { alias: "p", choices: ["libvirt", "virtualbox", "all"] as const, default: "all", describe: "which boxes to make" })
        .option("out", { alias: "o", type: "string", describe: "where boxes and the catalog go (default: ./boxes-out)" })
        .option("cache", { type: "string", describe: "package and base-system cache (default: /var/cache/kvm-lab or $KVM_LAB_CACHE)" })
        .option("force", { type: "boolean", describe: "rebuild even when the recipe did not change" }),
    run: async (io, args) => (await import("./commands/box.js")).boxCommand(io, args as never),
  },
  {
    command: "completion <shell>",
    describe: "Print a shell completion script: source <(kvm-lab completion bash|zsh)",
    options: (y) => y.positional("shell", { choices: ["bash", "zsh"] as const, describe: "the shell" }),
    run: async (io, args) => (await import("./completion.js")).completionCommand(io, args as never),
  },
];

/** The name a command is typed as: "up [machine..]" -> "up". */
const nameOf = (spec: CommandSpec) => spec.command.split(" ")[0];

const factsCache = new Map<string, FlagFacts>();

/** The flags of a command (or of the program, for none), read from its builder once. */
export function flagsOfCommand(spec: CommandSpec | undefined): FlagFacts {
  const key = spec ? nameOf(spec) : "";
  let facts = factsCache.get(key);
  if (!facts) {
    facts = spec ? flagFactsOf(spec.options, positionalsOf(spec.command)) : flagFactsOf((y) => y);
    factsCache.set(key, facts);
  }
  return facts;
}

/** The command named on a command line, if any (the first word that names one). */
export function commandIn(argv: string[]): CommandSpec | undefined {
  const words = argv.filter((token) => !token.startsWith("-"));
  return COMMANDS.find((spec) => nameOf(spec) === words[0]);
}

/** No command was named: the help is the answer (exit 2, as for any usage error). */
class NoCommandError extends UsageError {}

/** Runs the CLI on `argv` and returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  // The shell's completion asks through a hidden command, before any parsing of its words.
  if (argv[0] === "__complete") {
    const { completeCommand } = await import("./completion.js");
    return completeCommand(io, argv.slice(1), COMMANDS);
  }
  let exitCode: number = EXIT.ok;
  const parser = yargs(argv)
    .scriptName("kvm-lab")
    .locale("en") // usage.ts reads yargs' messages; the same words on every machine
    .usage("$0 <command> [options]\n\nNested-virtualization labs from a typed config: Vagrantfiles for VirtualBox and libvirt.")
    .strict()
    .demandCommand(1, "name a command")
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version()
    .epilogue(`${EXIT_CODES_TEXT}\nShell completion: kvm-lab completion bash|zsh.`)
    .fail((said, error) => {
      // yargs' own parse errors (YError: "Not enough arguments following") are usage too.
      if (error && error.name !== "YError") throw error;
      const message = error?.message ?? said;
      if (message === "name a command") throw new NoCommandError("no command given; the commands are listed above", { hint: "kvm-lab <command> --help for a command's options" });
      const spec = commandIn(argv);
      throw usageErrorOf(message, { program: "kvm-lab", argv, facts: flagsOfCommand(spec), command: spec && nameOf(spec), usage: spec?.command });
    })
    .exitProcess(false);
  for (const spec of COMMANDS) {
    parser.command(spec.command, spec.describe, requiringValues(spec.options, positionalsOf(spec.command)), async (args) => {
      checkListsHaveValues(args, flagsOfCommand(spec));
      exitCode = await spec.run(io, args as Args);
    });
  }
  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof NoCommandError) parser.showHelp((text) => io.err(text));
    return reportError(io, error, argv);
  }
  return exitCode;
}
