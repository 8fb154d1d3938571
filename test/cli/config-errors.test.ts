// What the built kvm-lab prints for configs that cannot load or do not check out: each
// cause named once, located (file:line:column and the source line with a caret), exit 2.
import path from "node:path";
import fs from "fs-extra";
import { createKvmLab, kvmLab } from "../support/cli.js";
import { tempDir } from "../support/tools.js";

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-config-errors-");
});
afterEach(async () => {
  await fs.remove(dir);
});

async function renderWith(name: string, text: string, args: string[] = []) {
  await fs.writeFile(path.join(dir, name), text);
  return kvmLab(["render", "--stdout", ...args], { cwd: dir });
}

test("an unclosed brace: file, line, column, the source line and a caret", async () => {
  const result = await renderWith(
    "kvm-lab.config.ts",
    'import { defineLab } from "kvm-lab";\n\nexport default defineLab({\n  name: "lab",\n  machines: [{ name: "node1" }],\n',
  );
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain(
    [
      "  - kvm-lab.config.ts:3:26: syntax error: the file ends (line 5) before the { here is closed; close what is still open: add }) where it ends",
      "      1 | import { defineLab } from \"kvm-lab\";",
      "      2 |",
      "    > 3 | export default defineLab({",
      "        |                          ^",
    ].join("\n"),
  );
  expect(await fs.pathExists(path.join(dir, "Vagrantfile"))).toBe(false);
});

test("a config without a default export is named as such, not as a syntax error", async () => {
  const result = await renderWith("kvm-lab.config.ts", 'export const lab = { name: "lab", machines: [{ name: "node1" }] };\n');
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("kvm-lab.config.ts: has no default export (it exports lab); export the lab as the default: export default lab");
  expect(result.stderr).not.toContain("syntax");
});

test("a wrong import from kvm-lab is named with the export it meant", async () => {
  const result = await renderWith("kvm-lab.config.ts", 'import { defineLAB } from "kvm-lab";\nexport default defineLAB({ name: "lab", machines: [] });\n');
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain('kvm-lab.config.ts:1:10: "kvm-lab" has no export named defineLAB; did you mean defineLab?');
  expect(result.stderr).not.toContain("syntax");
});

test("a config that throws says so and where", async () => {
  const result = await renderWith("kvm-lab.config.ts", 'const names: string[] = [];\nexport default { name: names[0].trim(), machines: [] };\n');
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("kvm-lab.config.ts:2: threw TypeError: Cannot read properties of undefined (reading 'trim') while loading");
  expect(result.stderr).toContain("    > 2 | export default { name: names[0].trim(), machines: [] };");
});

test("--config naming a folder names the file inside it", async () => {
  await fs.outputFile(path.join(dir, "lab", "kvm-lab.config.json"), '{ "name": "lab", "machines": [] }');
  const result = await kvmLab(["render", "--stdout", "--config", "lab"], { cwd: dir });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("--config: lab is a folder, not a config file; pass the file: --config lab/kvm-lab.config.json");
});

test("a JSON syntax error gets line, column and a caret", async () => {
  const result = await renderWith("kvm-lab.config.json", '{\n  "name": "lab",\n  "machines": [{ "name": "node1" },]\n}\n');
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("kvm-lab.config.json:3:35: JSON syntax error: a comma before ] (JSON allows no trailing comma); remove the last comma");
  expect(result.stderr).toContain('    > 3 |   "machines": [{ "name": "node1" },]\n        |                                   ^');
});

test("a bad default is reported once, at defaults, and warnings name the machine", async () => {
  const lab = (defaults: string) =>
    `import { defineLab } from "kvm-lab";\nexport default defineLab({\n  name: "lab", box: "debian/bookworm64", ${defaults}\n` +
    `  networks: { tenant: { mode: "intnet", cidr: "10.10.0.0/24" } },\n` +
    `  machines: [{ name: "controller" }, { name: "compute1", nics: [{ network: "tenant" }] }, { name: "compute2" }],\n});\n`;
  const bad = await renderWith("kvm-lab.config.ts", lab("defaults: { cpus: 0 },"));
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toContain("config has 1 problem in");
  expect(bad.stderr).toContain("  - defaults.cpus: 0 CPUs; use 1 or more");
  const good = await renderWith("kvm-lab.config.ts", lab(""));
  expect(good.exitCode).toBe(0);
  expect(good.stderr).toContain('warning: machines[1] (compute1).nics[0].ip: internal network "tenant" has no DHCP server');
});

test("the openstack template on libvirt does not trip our own promisc warning", async () => {
  const made = await createKvmLab(["os", "--template", "openstack", "--provider", "libvirt", "--yes"], { cwd: dir });
  expect(made.exitCode).toBe(0);
  const result = await kvmLab(["render", "--stdout"], { cwd: path.join(dir, "os") });
  expect(result.exitCode).toBe(0);
  expect(result.stderr).not.toContain("promisc");
});

test('a JSON config pointing at the shipped schema with "$schema" renders', async () => {
  const config = {
    $schema: "./node_modules/kvm-lab/schema/kvm-lab.config.schema.json",
    name: "json-lab",
    box: "debian/bookworm64",
    machines: [{ name: "node1" }],
  };
  const result = await renderWith("kvm-lab.config.json", JSON.stringify(config, null, 2));
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain('config.vm.define "node1"');
});
