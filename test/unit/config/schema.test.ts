// The JSON Schema shipped for JSON configs (schema/kvm-lab.config.schema.json): generated
// from the TypeScript types and up to date with them, accepting every config we ship
// (the example and each template's) as validated by a real validator (ajv), refusing bad
// ones, and agreeing with the checks kvm-lab itself runs (shape.ts).
import path from "node:path";
import fs from "fs-extra";
import { execa } from "execa";
import { Ajv } from "ajv";
import { checkConfig, importConfig } from "../../../src/config/load.js";
import { LAB_SHAPE } from "../../../src/config/shape.js";
import { renderConfigFile } from "../../../src/create/files.js";
import { TEMPLATES, TEMPLATE_NAMES } from "../../../src/create/templates.js";
import { ROOT, tempDir } from "../../support/tools.js";

const SCHEMA_FILE = path.join(ROOT, "schema", "kvm-lab.config.schema.json");
const schema = fs.readJsonSync(SCHEMA_FILE);
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** A config as its JSON form would be (functions and undefined dropped). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function errorsOf(config: unknown): string[] {
  return validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

test("the shipped schema is what the types generate (run npm run build after changing them)", async () => {
  const check = await execa("node", [path.join(ROOT, "scripts", "build-schema.mjs"), "--check"], { cwd: ROOT, reject: false });
  expect(check.stderr).toBe("");
  expect(check.exitCode).toBe(0);
});

test("package.json ships the schema and exports it", async () => {
  const pkg = await fs.readJson(path.join(ROOT, "package.json"));
  expect(pkg.files).toContain("schema");
  expect(pkg.exports["./schema.json"]).toBe("./schema/kvm-lab.config.schema.json");
  expect(pkg.scripts.build).toMatch(/scripts\/build-schema\.mjs/);
});

test("the bundled example validates against the schema", async () => {
  const config = asJson(await importConfig(path.join(ROOT, "examples", "nested-lab", "kvm-lab.config.ts")));
  expect(errorsOf(config)).toEqual([]);
});

describe("every template's config validates against the schema", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir("kvm-lab-schema-");
  });
  afterAll(async () => {
    await fs.remove(dir);
  });
  // The config file each template writes (the scaffolder's own renderConfigFile) at its
  // largest machine count. Templates differ between providers only in the provider's name:
  // one each, both providers seen.
  const cases = TEMPLATE_NAMES.map((t, i) => [t, i % 2 ? "libvirt" : "virtualbox"] as const);
  test.each(cases)("%s for %s", async (template, provider) => {
    const name = `${template}-${provider}`;
    const file = path.join(dir, name, "kvm-lab.config.ts");
    const text = await renderConfigFile({ name, template, provider, count: TEMPLATES[template].count?.max, bridge: "eth0" });
    await fs.outputFile(file, text);
    const config = asJson(await importConfig(file));
    expect(errorsOf(config)).toEqual([]);
    // ... and as a JSON config with "$schema", kvm-lab takes it as it is.
    const json = { $schema: "./node_modules/kvm-lab/schema/kvm-lab.config.schema.json", ...(config as object) };
    expect(errorsOf(json)).toEqual([]);
    expect(() => checkConfig(json)).not.toThrow();
  });
});

test("bad JSON configs are refused by the schema", () => {
  const good = { name: "lab", box: "debian/bookworm64", machines: [{ name: "node1" }] };
  expect(errorsOf(good)).toEqual([]);
  expect(errorsOf({ ...good, machines: [{ name: "node1", cpu: 2 }] })).toEqual(["/machines/0 must NOT have additional properties"]);
  expect(errorsOf({ ...good, defaults: { cpus: "2" } })).toEqual(["/defaults/cpus must be integer"]);
  expect(errorsOf({ ...good, defaults: { memory: 0, cpus: 1.5 } })).toEqual(["/defaults/cpus must be integer", "/defaults/memory must be >= 1"]);
  expect(errorsOf({ ...good, provider: "hyperv" })).toEqual(["/provider must be equal to one of the allowed values"]);
  expect(errorsOf({ name: "lab" })).toEqual(["/ must have required property 'machines'"]);
  expect(errorsOf({ ...good, machines: [{ name: "n", nics: [{ network: "a", adapter: 1 }] }] })).toEqual(["/machines/0/nics/0/adapter must be >= 2"]);
  expect(errorsOf({ ...good, machines: [{ name: "n", forwards: [{ guest: 80, host: 70000 }] }] })).toEqual(["/machines/0/forwards/0/host must be <= 65535"]);
});

test('kvm-lab accepts "$schema" in a config, and only as a string', () => {
  const good = { $schema: "https://example.invalid/kvm-lab.config.schema.json", name: "lab", box: "b", machines: [{ name: "node1" }] };
  expect(() => checkConfig(good)).not.toThrow();
  expect(() => checkConfig({ ...good, $schema: 1 })).toThrow(/\$schema: expected a string, got 1/);
});

/**
 * kvm-lab's own shape check (shape.ts) and the schema must know the same settings with the
 * same kinds: walks both side by side.
 */
test("the schema and kvm-lab's shape check agree on every setting", () => {
  const resolve = (node: any): any => (node.$ref ? resolve(schema.definitions[node.$ref.replace("#/definitions/", "")]) : node);
  const differences: string[] = [];
  const walk = (field: any, node: any, at: string): void => {
    node = resolve(node);
    switch (field.kind) {
      case "string":
      case "integer":
      case "boolean":
        if (node.type !== field.kind) differences.push(`${at}: shape ${field.kind}, schema ${node.type}`);
        return;
      case "enum":
        if (JSON.stringify([...node.enum].sort()) !== JSON.stringify([...field.values].sort())) {
          differences.push(`${at}: shape ${field.values.join("|")}, schema ${node.enum?.join("|")}`);
        }
        return;
      case "array":
        if (node.type !== "array") differences.push(`${at}: shape array, schema ${node.type}`);
        else walk(field.of, node.items, `${at}[]`);
        return;
      case "record":
        if (node.type !== "object" || typeof node.additionalProperties !== "object") differences.push(`${at}: shape record, schema not`);
        else walk(field.of, node.additionalProperties, `${at}.*`);
        return;
      case "object": {
        const shapeKeys = Object.keys(field.fields).sort();
        const schemaKeys = Object.keys(node.properties ?? {}).sort();
        if (JSON.stringify(shapeKeys) !== JSON.stringify(schemaKeys)) differences.push(`${at}: shape {${shapeKeys}}, schema {${schemaKeys}}`);
        if (node.additionalProperties !== false) differences.push(`${at}: schema allows unknown keys`);
        if (JSON.stringify([...(field.required ?? [])].sort()) !== JSON.stringify([...(node.required ?? [])].sort())) {
          differences.push(`${at}: required differ`);
        }
        for (const key of shapeKeys) if (node.properties?.[key]) walk(field.fields[key], node.properties[key], `${at}.${key}`);
        return;
      }
    }
  };
  walk(LAB_SHAPE, schema, "(config)");
  expect(differences).toEqual([]);
});
