// The house rules of the import graph, read from src/ itself (every import specifier, static
// and dynamic, as TypeScript's own scanner finds it):
// - one module starts external processes: only src/process/run.ts imports execa or
//   node:child_process;
// - dependencies point down: nothing outside src/cli/ imports src/cli/ (an executable's entry
//   point, src/<room>/bin.ts, is the top of the graph like src/cli/ itself).
import path from "node:path";
import fs from "fs-extra";
import ts from "typescript";
import { ROOT } from "../../support/tools.js";

const SRC = path.join(ROOT, "src");

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(file)));
    else if (/\.(m|c)?ts$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(file);
  }
  return out;
}

interface Edge {
  /** The importing file, relative to src/. */
  from: string;
  specifier: string;
  /** Where a relative specifier points, relative to src/ (.js written for .ts). */
  to?: string;
}

async function importEdges(): Promise<Edge[]> {
  const edges: Edge[] = [];
  for (const file of await sourceFiles(SRC)) {
    const info = ts.preProcessFile(await fs.readFile(file, "utf8"), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      const to = specifier.startsWith(".") ? path.relative(SRC, path.resolve(path.dirname(file), specifier)) : undefined;
      edges.push({ from: path.relative(SRC, file), specifier, to });
    }
  }
  return edges;
}

const PROCESS_RUNNER = path.join("process", "run.ts");
const spawns = (specifier: string) => /^(execa|(node:)?child_process)(\/|$)/.test(specifier);
const inCli = (file: string) => file.split(path.sep)[0] === "cli";
const isEntryPoint = (file: string) => path.basename(file) === "bin.ts";

test("the scanner sees the imports this rule is about (static, dynamic, re-exports)", async () => {
  const edges = await importEdges();
  expect(edges.filter((e) => e.from === PROCESS_RUNNER && e.specifier === "execa")).toHaveLength(1);
  // main.ts imports its commands lazily: `await import("./commands/lab.js")`.
  expect(edges.some((e) => e.from === path.join("cli", "main.ts") && e.to === path.join("cli", "commands", "lab.js"))).toBe(true);
});

test("only src/process/run.ts starts processes (imports execa or child_process)", async () => {
  const offenders = (await importEdges()).filter((e) => spawns(e.specifier) && e.from !== PROCESS_RUNNER);
  expect(offenders.map((e) => `${e.from} imports ${e.specifier}`)).toEqual([]);
});

test("nothing outside src/cli/ imports src/cli/", async () => {
  const offenders = (await importEdges()).filter((e) => e.to !== undefined && inCli(e.to) && !inCli(e.from) && !isEntryPoint(e.from));
  expect(offenders.map((e) => `${e.from} imports ${e.specifier}`)).toEqual([]);
});
