// The questions create-kvm-lab asks on a terminal. The template registry supplies the
// choices; every answer is checked as the flags are. Ctrl-C or Esc at any question cancels
// with nothing written (exit 130), said once, in the prompts' own frame.
import * as clack from "@clack/prompts";
import { InterruptedError } from "../errors.js";
import { PROVIDERS, type Provider } from "../config/types.js";
import { TEMPLATE_NAMES, TEMPLATES, type TemplateName, type MachineCount } from "../create/templates.js";
import { projectNameProblem, suggestProjectName, PROJECT_NAME_RULE } from "../create/name.js";

/** Ctrl-C or Esc at a question, already said on the screen (clack's cancel line): exit 130 without saying it again. */
export class CancelledAtQuestion extends InterruptedError {}

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) {
    clack.cancel("Cancelled; nothing was written.");
    throw new CancelledAtQuestion("create-kvm-lab cancelled; nothing was written");
  }
  return value as Exclude<T, symbol>;
}

export const say = {
  intro: (text: string) => clack.intro(text),
  outro: (text: string) => clack.outro(text),
  note: (text: string, title: string) => clack.note(text, title),
};

export async function askDirectory(initial: string): Promise<string> {
  return answered(
    await clack.text({
      message: "Project folder",
      placeholder: initial,
      defaultValue: initial,
      validate: (value) => (value !== undefined && /^\s|\s$/.test(value) ? "no spaces at either end" : undefined),
    }),
  );
}

export async function askName(initial: string): Promise<string> {
  const suggested = projectNameProblem(initial) ? suggestProjectName(initial) : initial;
  return answered(
    await clack.text({
      message: "Project and lab name",
      placeholder: suggested,
      defaultValue: suggested,
      validate: (value) => {
        if (!value) return undefined; // the default
        const problem = projectNameProblem(value);
        return problem ? `${problem}: try "${suggestProjectName(value)}" (${PROJECT_NAME_RULE})` : undefined;
      },
    }),
  );
}

export async function askTemplate(): Promise<TemplateName> {
  return answered(
    await clack.select<TemplateName>({
      message: "Template",
      options: TEMPLATE_NAMES.map((name) => ({ value: name, label: name, hint: TEMPLATES[name].description })),
      initialValue: "minimal",
    }),
  );
}

export async function askProvider(initial: Provider): Promise<Provider> {
  const hints: Record<Provider, string> = {
    virtualbox: "VirtualBox 6.1/7 on Windows, macOS or Linux",
    libvirt: "QEMU/KVM through vagrant-libvirt, on Linux",
  };
  return answered(
    await clack.select<Provider>({
      message: "Provider",
      options: PROVIDERS.map((p) => ({ value: p, label: p, hint: hints[p] })),
      initialValue: initial,
    }),
  );
}

export async function askCount(count: MachineCount): Promise<number> {
  const text = answered(
    await clack.text({
      message: `How many ${count.noun}? (${count.min}-${count.max})`,
      placeholder: String(count.default),
      defaultValue: String(count.default),
      validate: (value) => {
        if (!value) return undefined;
        const n = Number(value);
        return Number.isInteger(n) && n >= count.min && n <= count.max ? undefined : `a whole number from ${count.min} to ${count.max}`;
      },
    }),
  );
  return Number(text);
}

export async function askWriteIntoNonEmpty(dir: string): Promise<boolean> {
  return answered(
    await clack.confirm({
      message: `${dir} is not empty. Write the project into it anyway? (files of the same name are kept as <file>.kvm-lab.bak, .bak.1, ...)`,
      initialValue: false,
    }),
  );
}
