// The README's config reference against the config's types (through the generated JSON
// Schema): each field a table row once, and the `defaults` row naming every key defaults take.
import path from "node:path";
import fs from "fs-extra";
import { ROOT } from "../../support/tools.js";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const schema = fs.readJsonSync(path.join(ROOT, "schema", "kvm-lab.config.schema.json")) as { definitions: Record<string, { properties?: Record<string, unknown> }> };

/** The rows of the table under a `### heading` of the config reference: first cell, then the rest. */
function tableRows(heading: string): { field: string; rest: string }[] {
  const reference = readme.slice(readme.indexOf("## Config reference"));
  const start = reference.indexOf(`\n### ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const section = reference.slice(start + 1).split(/\n### /)[0];
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [, field, ...rest] = line.split(" | ").map((cell) => cell.replace(/^\| /, ""));
      return { field: line.split(" | ")[0].slice(2), rest: [field, ...rest].join(" | ") };
    });
}

test.each(["The lab", "Machines", "Hosts", "Provider settings and disks", "Networks", "NICs", "Forwards", "Synced folders"])("%s: each field has one row", (heading) => {
  const fields = tableRows(heading).map((row) => row.field);
  expect(fields.filter((field, i) => fields.indexOf(field) !== i)).toEqual([]);
});

test("the lab's `defaults` row names every key a machine's defaults take", () => {
  const row = tableRows("The lab").find((r) => r.field === "`defaults`");
  expect(row).toBeDefined();
  const keys = Object.keys(schema.definitions.MachineDefaults.properties ?? {});
  expect(keys.length).toBeGreaterThan(5);
  expect(keys.filter((key) => !row!.rest.includes(`\`${key}\``))).toEqual([]);
});

test("the Hosts table has a row for each field of a host, and the lab and machine tables name hosts and host", () => {
  const fields = tableRows("Hosts").map((row) => row.field);
  expect(fields.sort()).toEqual(Object.keys(schema.definitions.HostConfig.properties ?? {}).map((key) => `\`${key}\``).sort());
  expect(tableRows("The lab").map((row) => row.field)).toContain("`hosts`");
  expect(tableRows("Machines").map((row) => row.field)).toContain("`host`");
});
