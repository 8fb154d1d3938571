// The create-kvm-lab command line (also `kvm-lab init`): options built from the template
// registry, so --help lists every template with what it makes.
import yargs, { type Argv } from "yargs";
import { PROVIDERS } from "../config/types.js";
import { TEMPLATE_NAMES, TEMPLATES } from "../create/templates.js";
import { processIo, type Io } from "./context.js";
import { report } from "./report.js";
import { flagFactsOf, requiringValues, usageErrorOf } from "./usage.js";

/** The options of create-kvm-lab and kvm-lab init; `dirDefault` says where each writes when no folder is named. */
export function createOptions(y: Argv, { dirDefault = "my-kvm-lab, or asked on a terminal" }: { dirDefault?: string } = {}): Argv {
  const templates = TEMPLATE_NAMES.map((name) => {
    const count = TEMPLATES[name].count;
    const line = `  ${name.padEnd(14)} ${TEMPLATES[name].description}`;
    return count ? `${line}\n  ${"".padEnd(14)} --machines: ${count.noun}, ${count.min}-${count.max} (default ${count.default})` : line;
  }).join("\n");
  return y
    .positional("dir", { type: "string", describe: `the project folder (default: ${dirDefault})` })
    .option("template", { alias: "t", type: "string", describe: `the lab to start from (default: minimal)` })
    .option("provider", { alias: "p", choices: PROVIDERS, describe: "the Vagrant provider (default: virtualbox)" })
    .option("name", { alias: "n", type: "string", describe: "project and lab name (default: the folder's name)" })
    // A string, checked by the command: "abc" is then named as given, with the template's range.
    .option("machines", { alias: "m", type: "string", describe: "how many machines, a whole number in the template's range (below)" })
    .option("yes", { alias: "y", type: "boolean", describe: "ask nothing: flags, else defaults" })
    .option("force", { type: "boolean", describe: "write into a folder that is not empty (files of the same name are kept as .kvm-lab.bak)" })
    .wrap(null)
    .epilogue(
      `Templates:\n${templates}\n\nOn a terminal it asks for what the flags do not say, unless --yes.\n` +
        "Exit codes: 0 written, 2 bad usage or a folder that is not empty, 130 interrupted (Ctrl-C or Esc at a question; nothing written).",
    );
}

/** Runs create-kvm-lab on `argv` and returns the exit code. */
export async function createMain(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("create-kvm-lab")
    .usage("$0 [dir] [options]\n\nStart a nested-virtualization lab project: config, Vagrantfile, README with its topology, CI workflow.")
    .locale("en") // usage.ts reads yargs' messages
    .command("$0 [dir]", false, requiringValues(createOptions, ["dir"]), async (args) => {
      const { createCommand } = await import("./commands/create.js");
      exitCode = await createCommand(io, args as never);
    })
    .strict()
    .help()
    .alias("h", "help")
    .version()
    .fail((said, error) => {
      if (error && error.name !== "YError") throw error; // yargs' own parse errors are usage too
      throw usageErrorOf(error?.message ?? said, { program: "create-kvm-lab", argv, facts: flagFactsOf(createOptions, ["dir"]) });
    })
    .exitProcess(false);
  try {
    await parser.parseAsync();
  } catch (error) {
    return report(io, error, "create-kvm-lab");
  }
  return exitCode;
}
