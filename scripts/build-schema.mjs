// Generates the JSON Schema of lab configs from the TypeScript types (src/config/types.ts,
// LabConfig): one source of truth, the schema shipped as schema/kvm-lab.config.schema.json.
// `npm run build` runs it; `--check` only compares and exits 1 when the file is out of date.
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SCHEMA_FILE = path.join(ROOT, "schema", "kvm-lab.config.schema.json");

/** The schema text, as the build writes it. */
export function generateSchemaText() {
  const generator = createGenerator({
    path: path.join(ROOT, "src", "config", "types.ts"),
    tsconfig: path.join(ROOT, "tsconfig.build.json"),
    type: "LabConfig",
    expose: "export",
    topRef: true,
    jsDoc: "extended",
    sortProps: true,
    skipTypeCheck: true,
    additionalProperties: false,
  });
  const schema = generator.createSchema("LabConfig");
  const ordered = {
    $schema: schema.$schema,
    title: "kvm-lab lab config",
    $ref: schema.$ref,
    definitions: schema.definitions,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = generateSchemaText();
  const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, "utf8") : undefined;
  if (process.argv.includes("--check")) {
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), SCHEMA_FILE)} is out of date with src/config/types.ts: run npm run build`);
      process.exit(1);
    }
  } else if (current !== text) {
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(`${SCHEMA_FILE}.tmp`, text);
    fs.renameSync(`${SCHEMA_FILE}.tmp`, SCHEMA_FILE);
  }
}
