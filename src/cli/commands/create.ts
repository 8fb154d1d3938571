// create-kvm-lab and `kvm-lab init`: settle every choice (flags, then questions on a
// terminal, then defaults), then scaffold the project and say what to do next.
import path from "node:path";
import { UsageError } from "../../errors.js";
import { closest } from "../../config/suggest.js";
import type { Provider } from "../../config/types.js";
import { TEMPLATE_NAMES, TEMPLATES, isTemplateName, type TemplateName } from "../../create/templates.js";
import { projectNameProblem, suggestProjectName, PROJECT_NAME_RULE } from "../../create/name.js";
import { scaffoldProject, targetStateOf } from "../../create/scaffold.js";
import type { ProjectChoices } from "../../create/files.js";
import { defaultRouteDevice } from "../../host/default-device.js";
import { shellWord } from "../../text/shell.js";
import { PACKAGE_VERSION } from "../../version.js";
import { printWarnings, type Io } from "../context.js";

export interface CreateArgs {
  dir?: string;
  template?: string;
  provider?: Provider;
  name?: string;
  /** As typed: checked here, so a bad value is named as given. */
  machines?: string | number;
  yes?: boolean;
  force?: boolean;
}

export const DEFAULT_DIR = "my-kvm-lab";
export const DEFAULT_TEMPLATE: TemplateName = "minimal";
export const DEFAULT_PROVIDER: Provider = "virtualbox";

function templateOf(value: string): TemplateName {
  if (isTemplateName(value)) return value;
  const near = closest(value, TEMPLATE_NAMES);
  const known = TEMPLATE_NAMES.map((name) => `  ${name.padEnd(14)} ${TEMPLATES[name].description}`).join("\n");
  throw new UsageError(`--template: "${value}" is not a template${near ? ` (did you mean "${near}"?)` : ""}; the templates are:\n${known}`, {
    hint: `pass one of: ${TEMPLATE_NAMES.join(", ")}`,
  });
}

function countOf(template: TemplateName, value: string | number | undefined): number | undefined {
  const count = TEMPLATES[template].count;
  if (value === undefined) return count?.default;
  if (!count) throw new UsageError(`--machines: the ${template} template has a fixed set of machines`, { hint: "leave out --machines" });
  const range = `a whole number from ${count.min} to ${count.max} (the ${template} template's ${count.noun})`;
  const text = String(value).trim();
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(n)) throw new UsageError(`--machines: "${value}" is not a whole number`, { hint: `use ${range}` });
  if (n < count.min || n > count.max) {
    throw new UsageError(`--machines: ${n} ${count.noun} is out of range`, { hint: `use ${range}` });
  }
  return n;
}

/** --machines before any template is known: at least a whole number. */
function checkedCountText(value: string | number | undefined): void {
  if (value === undefined || /^\s*[0-9]+\s*$/.test(String(value))) return;
  throw new UsageError(`--machines: "${value}" is not a whole number`, {
    hint: `use a whole number in the template's range (${TEMPLATE_NAMES.filter((n) => TEMPLATES[n].count)
      .map((n) => `${n}: ${TEMPLATES[n].count!.min}-${TEMPLATES[n].count!.max}`)
      .join(", ")})`,
  });
}

function checkedName(name: string, flag: string): string {
  const problem = projectNameProblem(name);
  if (problem) throw new UsageError(`${flag}: ${problem}`, { hint: `use "${suggestProjectName(name)}" (${PROJECT_NAME_RULE})` });
  return name;
}

/** Runs the scaffolder; returns the exit code. */
export async function createCommand(io: Io, args: CreateArgs): Promise<number> {
  const interactive = !args.yes && Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const ask = interactive ? await import("../prompts.js") : undefined;
  try {
    return await settleAndScaffold(io, args, ask);
  } catch (error) {
    // Cancelled at a question: the prompt has said so on the screen; say nothing twice.
    if (ask && error instanceof ask.CancelledAtQuestion) return error.exitCode;
    throw error;
  }
}

async function settleAndScaffold(io: Io, args: CreateArgs, ask: typeof import("../prompts.js") | undefined): Promise<number> {
  // 1. Flags first: a bad one fails before any question.
  let template = args.template === undefined ? undefined : templateOf(args.template);
  if (args.name !== undefined) checkedName(args.name, "--name");
  if (template) countOf(template, args.machines);
  else checkedCountText(args.machines);

  ask?.say.intro("create-kvm-lab");
  // 2. Then questions on a terminal, defaults elsewhere.
  const dirText = args.dir ?? (ask ? await ask.askDirectory(DEFAULT_DIR) : DEFAULT_DIR);
  const dir = path.resolve(io.cwd, dirText);
  let name = args.name;
  if (name === undefined) {
    const fromDir = path.basename(dir);
    if (ask) name = checkedName(await ask.askName(fromDir), "name");
    else {
      name = projectNameProblem(fromDir) ? suggestProjectName(fromDir) : fromDir;
      if (name !== fromDir) io.err(`note: "${fromDir}" cannot name a project; naming it "${name}" (pass --name to choose)`);
    }
  }
  template ??= ask ? await ask.askTemplate() : DEFAULT_TEMPLATE;
  const provider = args.provider ?? (ask ? await ask.askProvider(DEFAULT_PROVIDER) : DEFAULT_PROVIDER);
  const countSpec = TEMPLATES[template].count;
  const count = args.machines === undefined && ask && countSpec ? await ask.askCount(countSpec) : countOf(template, args.machines);
  let force = args.force;
  if (!force && ask && (await targetStateOf(dir)) === "not-empty") force = await ask.askWriteIntoNonEmpty(dirText);

  const choices: ProjectChoices = {
    name,
    template,
    provider,
    ...(count === undefined ? {} : { count }),
    ...(TEMPLATES[template].bridged ? { bridge: defaultRouteDevice() ?? "eth0" } : {}),
  };
  // 3. Write it.
  const result = await scaffoldProject(dir, choices, { force, kvmLabVersion: PACKAGE_VERSION });
  printWarnings(io, result.warnings);
  const shown = path.relative(io.cwd, dir) || ".";
  const lines = [
    `${template} lab "${name}" for ${provider} in ${shown}:`,
    ...result.files.map((file) => `  ${file}`),
    ...result.backups.map((b) => `kept your ${b.file} as ${b.keptAs}`),
    ...(choices.bridge ? [`bridged networks use the host device ${choices.bridge}; change it in kvm-lab.config.ts if that is not your LAN`] : []),
  ];
  const next = [...(shown === "." ? [] : [`cd ${shellWord(shown)}`]), "npm install", "npm run up", "npm run check"];
  if (ask) {
    ask.say.note(lines.join("\n"), "Written");
    ask.say.outro(`Next: ${next.join(" && ")}`);
  } else {
    io.out(lines.join("\n"));
    io.out(`next:\n${next.map((line) => `  ${line}`).join("\n")}`);
  }
  return 0;
}
