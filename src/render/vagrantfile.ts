// Lab -> Vagrantfile text. Templates are compiled strict (a missing field is an error, not
// an empty string) and without HTML escaping; every value goes through a Ruby-literal helper.
import path from "node:path";
import fs from "fs-extra";
import Handlebars from "handlebars";
import type { ExtraValue, Lab } from "../config/types.js";
import { libvirtView } from "./libvirt.js";
import { commentText, rubyHash, rubyIdentifier, rubyLiteral, rubyOptions, type RubyValue } from "./ruby.js";
import { stampDigest } from "./digest.js";
import { virtualboxView } from "./virtualbox.js";
import type { CustomizeArg, LabView, OptionPairs } from "./view.js";

/** The package's templates folder (beside src/ and dist/). */
import { TEMPLATES_DIR } from "../paths.js";

type Render = (view: LabView) => string;
let compiled: Render | undefined;

function compileTemplates(): Render {
  const hbs = Handlebars.create();
  hbs.registerHelper("rb", (value: RubyValue) => rubyLiteral(value));
  // {{opts pairs indent=2 width=80}}: long option lists go on continuation lines, indented
  // by `indent` past the line they start on (Handlebars adds the partial's own indentation).
  hbs.registerHelper("opts", (pairs: OptionPairs, options: { hash: { indent?: number; width?: number } }) =>
    rubyOptions(pairs, options.hash.indent ?? 0, options.hash.width),
  );
  // A capture file becomes a call of the prelude's helper with the path as a literal.
  hbs.registerHelper("rbargs", (args: (CustomizeArg | RubyValue)[]) =>
    args
      .map((arg) =>
        typeof arg === "object" && arg !== null && !Array.isArray(arg) && "captureFile" in arg && typeof arg.captureFile === "string"
          ? `KvmLab.capture_file(${rubyLiteral(arg.captureFile)})`
          : rubyLiteral(arg as RubyValue),
      )
      .join(", "),
  );
  hbs.registerHelper("c", (text: string) => commentText(String(text)));
  hbs.registerHelper("ident", (name: string) => rubyIdentifier(String(name)));
  // {{rbhash record}}: a hash with string keys (a shell step's env, Ansible's groups and extra_vars).
  hbs.registerHelper("rbhash", (record: Record<string, ExtraValue>, options: { hash: { indent?: number } }) => rubyHash(record, options.hash.indent));
  const partials = path.join(TEMPLATES_DIR, "partials");
  for (const file of fs.readdirSync(partials).sort()) {
    if (file.endsWith(".hbs")) hbs.registerPartial(file.slice(0, -4), fs.readFileSync(path.join(partials, file), "utf8"));
  }
  const main = hbs.compile(fs.readFileSync(path.join(TEMPLATES_DIR, "Vagrantfile.hbs"), "utf8"), {
    strict: true,
    noEscape: true,
  });
  return (view) => main(view);
}

/** Blank-line hygiene: no trailing spaces, never two blank lines in a row. */
function tidy(text: string): string {
  return `${text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}

/** The view of a lab for its provider. */
export function viewOf(lab: Lab): LabView & { preludePartial: string } {
  const view = lab.provider === "libvirt" ? libvirtView(lab) : virtualboxView(lab);
  return { ...view, preludePartial: `${lab.provider}-prelude` };
}

/** What a command decided for one render; the loaded lab itself is never changed. */
export interface RenderOptions {
  /** The config file as the header names it, relative to the Vagrantfile (default: the lab's own `source`). */
  source?: string;
  /** Machines that run under QEMU's software emulation though the config asks for KVM (the host's KVM cannot run guests). */
  tcg?: readonly string[];
}

/** The lab as this render sees it: a copy with the decisions applied (the lab itself when there are none). */
function withDecisions(lab: Lab, options: RenderOptions): Lab {
  const tcg = new Set(options.tcg ?? []);
  if (options.source === undefined && !tcg.size) return lab;
  return {
    ...lab,
    source: options.source ?? lab.source,
    machines: lab.machines.map((m) => (tcg.has(m.name) && m.accel === "kvm" ? { ...m, accel: "tcg" as const } : m)),
  };
}

/** The Vagrantfile for a checked lab, with its digest line. Same lab and options, same bytes. */
export function renderVagrantfile(lab: Lab, options: RenderOptions = {}): string {
  compiled ??= compileTemplates();
  return stampDigest(tidy(compiled(viewOf(withDecisions(lab, options)))));
}
