// Why a config file could not be loaded, each cause as its own Problem with its own fix:
// a syntax error (file:line:column and the source line with a caret), a module that cannot
// be found, a name a module does not export, or code that threw while it ran. JSON
// configs get their syntax errors from json-syntax.ts.
import path from "node:path";
import fs from "fs-extra";
import type { Problem } from "../errors.js";
import { codeFrame, formatLocation, positionAt, type Position } from "./code-frame.js";
import { importNamespace, selfEntry } from "./import-module.js";
import { closersOf, openBracketsAtEnd } from "./js-syntax.js";
import { findJsonSyntaxError } from "./json-syntax.js";
import { closest } from "./suggest.js";

/** How a file is named in messages: relative to the config's folder when inside it. */
export function shownPath(file: string, configFile: string): string {
  const relative = path.relative(path.dirname(configFile), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** A Problem located in a file, with the code frame of that spot. */
function located(file: string, configFile: string, text: string | undefined, at: { line: number; column?: number }, rest: Omit<Problem, "path">): Problem {
  return {
    path: formatLocation(shownPath(file, configFile), at),
    ...rest,
    ...(text === undefined ? {} : { frame: codeFrame(text, at) }),
  };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    return undefined;
  }
}

/** The syntax error of a JSON config's text, located; undefined when the text is valid JSON. */
export function jsonSyntaxProblem(text: string, file: string): Problem | undefined {
  const found = findJsonSyntaxError(text);
  if (!found) return undefined;
  return located(file, file, text, positionAt(text, found.offset), { message: `JSON syntax error: ${found.message}`, fix: found.fix });
}

/** Babel's parse error, as jiti rethrows it: `ParseError: <reason> \n <file>:<line>:<column0>`. */
const PARSE_ERROR = /^(?:ParseError|SyntaxError): ([\s\S]*?)\s*\n\s*(\S[\s\S]*?):(\d+):(\d+)\s*$/;

/** Stack frames of code in files (not node internals, not node_modules). */
function userFrames(stack: string): { file: string; line: number; column: number }[] {
  const frames: { file: string; line: number; column: number }[] = [];
  for (const match of stack.matchAll(/^\s*at (?:.*?\()?((?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])[^()]*?):(\d+):(\d+)\)?\s*$/gm)) {
    const file = match[1].startsWith("file://") ? new URL(match[1]).pathname : match[1];
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    frames.push({ file, line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/** Named imports of a module's text: `import { a, b as c } from "x"` (type-only ones left out). */
export function namedImports(text: string): { name: string; local: string; from: string; offset: number }[] {
  const found: { name: string; local: string; from: string; offset: number }[] = [];
  const statement = /\bimport\s+(type\s+)?(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*(["'])([^"']+)\3/g;
  for (const match of text.matchAll(statement)) {
    if (match[1]) continue;
    const listStart = match.index! + match[0].indexOf("{") + 1;
    for (const part of match[2].matchAll(/[^,]+/g)) {
      const spec = part[0].trim();
      if (!spec || /^type\s/.test(spec)) continue;
      const [name, local = name] = spec.split(/\s+as\s+/).map((s) => s.trim());
      const offset = listStart + part.index! + part[0].indexOf(name);
      found.push({ name, local, from: match[4], offset });
    }
  }
  return found;
}

/** Where a module specifier is written in `text` (its opening quote), if it is. */
function specifierOffset(text: string, specifier: string): number | undefined {
  for (const quote of ['"', "'"]) {
    const at = text.indexOf(`${quote}${specifier}${quote}`);
    if (at >= 0) return at;
  }
  return undefined;
}

/** A name imported by the config that its module does not export, when that is what failed. */
async function missingExport(error: Error, configFile: string, text: string): Promise<Problem | undefined> {
  for (const imported of namedImports(text)) {
    if (!new RegExp(`(^|[^\\w$])${imported.local.replace(/\$/g, "\\$")}([^\\w$]|$)`).test(error.message)) continue;
    let exports: Record<string, unknown>;
    try {
      exports = await importNamespace(imported.from === "kvm-lab" ? selfEntry() : imported.from, configFile);
    } catch {
      continue;
    }
    if (imported.name in exports) continue;
    const known = Object.keys(exports).filter((key) => key !== "default" && key !== "__esModule");
    const guess = closest(imported.name, known);
    return located(configFile, configFile, text, positionAt(text, imported.offset), {
      message: `"${imported.from}" has no export named ${imported.name}`,
      fix: guess ? `did you mean ${guess}?` : known.length ? `it exports: ${known.join(", ")}` : "import it from the module that exports it",
    });
  }
  return undefined;
}

/** The Problem for a TypeScript or JavaScript config that failed to load. */
export async function explainLoadFailure(error: unknown, configFile: string): Promise<Problem> {
  const config = shownPath(configFile, configFile);
  // Duck-typed: an error thrown by the config's code may come from another realm.
  if (!isErrorLike(error)) {
    return { path: config, message: `threw ${JSON.stringify(error) ?? String(error)} while loading`, fix: "throw nothing at load time: the config is run to read it" };
  }
  // 1. Syntax errors (of the config or a file it imports).
  const parse = PARSE_ERROR.exec(error.message);
  if (parse) {
    const [, reason, file] = parse;
    const text = await readText(file);
    const at: Position = { line: Number(parse[3]), column: Number(parse[4]) + 1 };
    if (text !== undefined) {
      const open = openBracketsAtEnd(text);
      const rest = text.split(/\r\n|\r|\n/).slice(at.line - 1).join("\n").slice(at.column - 1);
      if (open.length && !rest.trim()) {
        const innermost = open[open.length - 1];
        const where = positionAt(text, innermost.offset);
        const end = positionAt(text, text.trimEnd().length).line;
        return located(file, configFile, text, where, {
          message: `syntax error: the file ends (line ${end}) before the ${innermost.bracket} here is closed`,
          fix: `close what is still open: add ${closersOf(open)} where it ends`,
        });
      }
    }
    const said = reason.replace(/^./, (c) => c.toLowerCase());
    return located(file, configFile, text, at, { message: `syntax error: ${said}`, fix: "fix the code at the caret" });
  }
  // 2. An import that resolves to nothing.
  const code = (error as { code?: unknown }).code;
  const notFound = /^Cannot find (?:module|package) '([^']+)'/.exec(error.message);
  if ((code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") && notFound) {
    const specifier = notFound[1];
    const stack = (error as { requireStack?: unknown }).requireStack;
    const from = Array.isArray(stack) && typeof stack[0] === "string" ? stack[0] : configFile;
    const text = await readText(from);
    const offset = text === undefined ? undefined : specifierOffset(text, specifier);
    const relative = specifier.startsWith(".") || path.isAbsolute(specifier);
    const problem = {
      message: `cannot find module "${specifier}"`,
      fix: relative
        ? `no file ${path.resolve(path.dirname(from), specifier)} (or with .ts, .js); check the path`
        : `install it beside the config (npm install ${specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/")}), or fix the name`,
    };
    return offset === undefined ? { path: shownPath(from, configFile), ...problem } : located(from, configFile, text, positionAt(text!, offset), problem);
  }
  // 3. A name imported that its module does not have (transpiled imports call it as undefined).
  const text = await readText(configFile);
  if (text !== undefined) {
    const missing = await missingExport(error, configFile, text);
    if (missing) return missing;
  }
  // 4. Code that threw while the config ran: the line it threw at (the transpiler keeps lines, not columns).
  const frame = userFrames(error.stack ?? "").find((f) => f.file !== fileOfThisModule());
  const what = `threw ${error.name}: ${error.message.split("\n")[0]} while loading`;
  const fix = "fix the code at that line: kvm-lab runs the config to read its default export";
  if (!frame) return { path: config, message: what, fix };
  const frameText = frame.file === configFile ? text : await readText(frame.file);
  return located(frame.file, configFile, frameText, { line: frame.line }, { message: what, fix });
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === "object" && value !== null && typeof (value as Error).message === "string" && typeof (value as Error).name === "string";
}

function fileOfThisModule(): string {
  return new URL(import.meta.url).pathname;
}
