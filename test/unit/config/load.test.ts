// Loading a config file that is not a lab yet: every way it fails gets its own message,
// located at file:line:column with the source line and a caret where there is a spot.
import path from "node:path";
import fs from "fs-extra";
import { importConfig, findConfigFile } from "../../../src/config/load.js";
import { ConfigError, formatProblem, type Problem } from "../../../src/errors.js";
import { tempDir } from "../../support/tools.js";

let dir: string;
beforeAll(async () => {
  dir = await tempDir("kvm-lab-load-");
});
afterAll(async () => {
  await fs.remove(dir);
});

/** Writes `files` into a fresh folder and loads the first; returns the one problem it reports. */
async function problemOf(files: Record<string, string>): Promise<Problem> {
  const sub = await fs.mkdtemp(path.join(dir, "case-"));
  for (const [name, text] of Object.entries(files)) await fs.outputFile(path.join(sub, name), text);
  try {
    const value = await importConfig(path.join(sub, Object.keys(files)[0]));
    throw new Error(`loaded without a problem: ${JSON.stringify(value)}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.problems).toHaveLength(1);
    return error.problems[0];
  }
}

const GOOD = 'import { defineLab } from "kvm-lab";\nexport default defineLab({ name: "x", machines: [{ name: "a" }] });\n';

test("a good TypeScript config loads", async () => {
  const sub = await fs.mkdtemp(path.join(dir, "ok-"));
  await fs.writeFile(path.join(sub, "kvm-lab.config.ts"), GOOD);
  expect(await importConfig(path.join(sub, "kvm-lab.config.ts"))).toEqual({ name: "x", machines: [{ name: "a" }] });
});

describe("TypeScript syntax errors keep file, line, column and the source line", () => {
  test("a stray token", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": 'export default {\n  name: "x" "y",\n  machines: [],\n};\n' });
    expect(p.path).toBe("kvm-lab.config.ts:2:13");
    expect(p.message).toBe('syntax error: unexpected token, expected ","');
    expect(p.frame).toBe(['  1 | export default {', '> 2 |   name: "x" "y",', '    |             ^'].join("\n"));
  });
  test("an unclosed brace names the brace and what closes it, not just 'Unexpected token'", async () => {
    const p = await problemOf({
      "kvm-lab.config.ts": 'import { defineLab } from "kvm-lab";\nexport default defineLab({\n  name: "x",\n  machines: [{ name: "a" }],\n\n',
    });
    expect(p.path).toBe("kvm-lab.config.ts:2:26");
    expect(p.message).toBe("syntax error: the file ends (line 4) before the { here is closed");
    expect(p.fix).toBe("close what is still open: add }) where it ends");
    expect(p.frame).toContain("> 2 | export default defineLab({\n    |                          ^");
  });
  test("brackets inside strings, comments and templates do not count", async () => {
    const p = await problemOf({
      "kvm-lab.config.ts": 'export default {\n  name: "{[(",\n  // ({[\n  box: `${"}"}`,\n  machines: [\n',
    });
    expect(p.path).toBe("kvm-lab.config.ts:5:13");
    expect(p.fix).toBe("close what is still open: add ]} where it ends");
  });
  test("a syntax error in a file the config imports is located in that file", async () => {
    const p = await problemOf({
      "kvm-lab.config.ts": 'import { nics } from "./nics";\nexport default { name: "x", machines: [{ name: "a", nics }] };\n',
      "nics.ts": "export const nics = [\n  { network: 'mgmt' ip: '1.2.3.4' },\n];\n",
    });
    expect(p.path).toBe("nics.ts:2:21");
    expect(p.frame).toContain("> 2 |   { network: 'mgmt' ip: '1.2.3.4' },");
  });
  test("tabs before the spot are kept under the caret", async () => {
    const p = await problemOf({ "lab.mjs": "export default {\n\tname: 'x' 'y',\n};\n" });
    expect(p.path).toBe("lab.mjs:2:12");
    expect(p.frame!.split("\n").pop()).toBe("    | \t          ^");
  });
});

describe("each load failure has its own message and fix", () => {
  test("an empty file", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": "\n  \n" });
    expect(formatProblem(p)).toMatch(/^kvm-lab\.config\.ts: is empty; write the lab in it: export default defineLab\(/);
  });
  test("no default export, naming what it exports", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": 'export const lab = { name: "x", machines: [] };\n' });
    expect(p.message).toBe("has no default export (it exports lab)");
    expect(p.fix).toBe("export the lab as the default: export default lab");
  });
  test("no export at all", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": "// just a comment\nconst lab = {};\n" });
    expect(p.message).toBe("has no default export");
  });
  test("a default export that is a function", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": "export default () => ({ name: 'x' });\n" });
    expect(p.message).toBe("its default export is a function, not the lab");
  });
  test("a config that throws names the line it threw at", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": 'const hosts: any = undefined;\n\nexport default { name: hosts.first, machines: [] };\n' });
    expect(p.path).toBe("kvm-lab.config.ts:3");
    expect(p.message).toBe("threw TypeError: Cannot read properties of undefined (reading 'first') while loading");
    expect(p.frame).toContain("> 3 | export default { name: hosts.first, machines: [] };");
    expect(p.message).not.toMatch(/syntax/);
  });
  test("an import of a file that is not there", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": 'import { nics } from "./nicz";\nexport default { name: "x", machines: [], nics };\n' });
    expect(p.path).toBe("kvm-lab.config.ts:1:22");
    expect(p.message).toBe('cannot find module "./nicz"');
    expect(p.fix).toMatch(/^no file .*nicz \(or with \.ts, \.js\); check the path$/);
  });
  test("an import of a package that is not installed", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": 'import cidr from "@acme/cidr-tools/sub";\nexport default { name: cidr };\n' });
    expect(p.message).toBe('cannot find module "@acme/cidr-tools/sub"');
    expect(p.fix).toBe("install it beside the config (npm install @acme/cidr-tools), or fix the name");
  });
  test("a name kvm-lab does not export, with did you mean", async () => {
    const p = await problemOf({ "kvm-lab.config.ts": 'import { defineLabs } from "kvm-lab";\nexport default defineLabs({ name: "x", machines: [] });\n' });
    expect(p.path).toBe("kvm-lab.config.ts:1:10");
    expect(p.message).toBe('"kvm-lab" has no export named defineLabs');
    expect(p.fix).toBe("did you mean defineLab?");
  });
  test("a name a local module does not export", async () => {
    const p = await problemOf({
      "kvm-lab.config.ts": 'import { type X, makeNics } from "./helpers";\nexport default { name: "x", machines: [{ name: "a", nics: makeNics() }] };\n',
      "helpers.ts": "export type X = string;\nexport function makeNic() { return []; }\n",
    });
    expect(p.message).toBe('"./helpers" has no export named makeNics');
    expect(p.fix).toBe("did you mean makeNic?");
  });
  test("a file kvm-lab cannot read", async () => {
    const p = await problemOf({ "lab.yaml": "name: x\n" });
    expect(p.message).toBe("kvm-lab cannot read .yaml files");
  });
});

describe("--config naming a folder", () => {
  test("with a config inside: the fix names it", async () => {
    const sub = await fs.mkdtemp(path.join(dir, "folder-"));
    await fs.outputFile(path.join(sub, "lab", "kvm-lab.config.ts"), GOOD);
    const error: ConfigError = await findConfigFile(sub, "lab").then(
      () => Promise.reject(new Error("accepted a folder")),
      (e) => e,
    );
    expect(error.problems).toEqual([
      { path: "--config", message: "lab is a folder, not a config file", fix: `pass the file: --config ${path.join("lab", "kvm-lab.config.ts")}` },
    ]);
  });
  test("without one", async () => {
    const sub = await fs.mkdtemp(path.join(dir, "folder-"));
    await fs.mkdirp(path.join(sub, "empty"));
    const error: ConfigError = await findConfigFile(sub, "empty").catch((e) => e);
    expect(error.problems[0].message).toBe("empty is a folder, not a config file");
    expect(error.problems[0].fix).toMatch(/^pass a config file \(kvm-lab\.config\.ts, /);
  });
});

describe("JSON configs", () => {
  test("a good one loads, byte order mark and all", async () => {
    const sub = await fs.mkdtemp(path.join(dir, "json-"));
    await fs.writeFile(path.join(sub, "kvm-lab.config.json"), '\uFEFF{ "name": "x", "machines": [] }\n');
    expect(await importConfig(path.join(sub, "kvm-lab.config.json"))).toEqual({ name: "x", machines: [] });
  });
  test("a trailing comma: line, column, caret on the comma", async () => {
    const p = await problemOf({ "kvm-lab.config.json": '{\n  "name": "x",\n  "machines": [ { "name": "a" }, ]\n}\n' });
    expect(p.path).toBe("kvm-lab.config.json:3:32");
    expect(p.message).toBe("JSON syntax error: a comma before ] (JSON allows no trailing comma)");
    expect(p.frame).toBe(['  1 | {', '  2 |   "name": "x",', '> 3 |   "machines": [ { "name": "a" }, ]', "    |                                ^"].join("\n"));
  });
  test("a missing comma", async () => {
    const p = await problemOf({ "kvm-lab.config.json": '{\n  "name": "x"\n  "machines": []\n}\n' });
    expect(p.path).toBe("kvm-lab.config.json:3:3");
    expect(p.message).toBe('JSON syntax error: unexpected "\\"" after a value');
  });
  test("an unclosed bracket says which", async () => {
    const p = await problemOf({ "kvm-lab.config.json": '{\n  "name": "x",\n  "machines": [\n    { "name": "a" }\n' });
    expect(p.message).toBe("JSON syntax error: the file ends before the [ opened at line 3, column 15 is closed");
    expect(p.fix).toBe("add the missing ]");
  });
  test("comments, single quotes and unquoted names", async () => {
    expect((await problemOf({ "c.json": '{\n  // hi\n  "name": "x"\n}' })).message).toBe("JSON syntax error: JSON has no comments");
    expect((await problemOf({ "c.json": "{ \"name\": 'x' }" })).message).toBe("JSON syntax error: JSON strings take double quotes");
    expect((await problemOf({ "c.json": "{ name: 1 }" })).path).toBe("c.json:1:3");
  });
  test("an empty JSON file", async () => {
    expect((await problemOf({ "kvm-lab.config.json": "" })).message).toBe("is empty");
  });
});
