// The command line's refusals and help: flags without their value, misspelt flags, flags
// that cannot go together, `kvm-lab` alone, the help of init and the exit codes, and
// topology's format taken from --out's extension. Run as the built binaries.
import path from "node:path";
import fs from "fs-extra";
import { createKvmLab, kvmLab } from "../support/cli.js";
import { tempDir } from "../support/tools.js";

const CONFIG = `export default {
  name: "usage-lab",
  box: "debian/bookworm64",
  networks: { mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" } },
  machines: [{ name: "node1", nics: [{ network: "mgmt", ip: "192.168.56.10" }] }],
};
`;

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-usage-");
  await fs.writeFile(path.join(dir, "kvm-lab.config.mjs"), CONFIG);
});
afterEach(() => fs.remove(dir));

const files = async () => (await fs.readdir(dir)).sort();

test.each([
  [["render", "--config"], "--config needs a value"],
  [["render", "-c"], "--config needs a value"],
  [["render", "--out"], "--out needs a value"],
  [["render", "--provider"], "--provider needs a value\nhint: --provider virtualbox|libvirt"],
  [["topology", "--format"], "--format needs a value\nhint: --format mermaid|dot|svg"],
  [["check", "--junit"], "--junit needs a value"],
  [["check", "--outside"], "--outside needs a value"],
  [["box", "list", "--cache"], "--cache needs a value"],
  [["init", "--template"], "--template needs a value"],
  [["init", "--name", "-y"], "--name needs a value"],
  [["check", "--only"], "--only needs at least one value"],
])("kvm-lab %j is refused, naming the flag (exit 2, nothing written)", async (args, said) => {
  const result = await kvmLab(args, { cwd: dir });
  expect(result.stderr).toContain(`kvm-lab: ${said}`);
  expect(result.exitCode).toBe(2);
  expect(await files()).toEqual(["kvm-lab.config.mjs"]);
});

test("create-kvm-lab refuses a flag without its value too", async () => {
  const result = await createKvmLab(["x", "--provider"], { cwd: dir });
  expect(result).toMatchObject({ exitCode: 2, stderr: "create-kvm-lab: --provider needs a value\nhint: --provider virtualbox|libvirt" });
});

test("--machines that is not a whole number is named as given, with the template's range", async () => {
  const withTemplate = await createKvmLab(["x", "-t", "nested-pair", "--machines", "abc", "-y"], { cwd: dir });
  expect(withTemplate.exitCode).toBe(2);
  expect(withTemplate.stderr).toBe('create-kvm-lab: --machines: "abc" is not a whole number\nhint: use a whole number from 2 to 8 (the nested-pair template\'s KVM hosts)');
  const half = await kvmLab(["init", "x", "-t", "openstack", "-m", "1.5", "-y"], { cwd: dir });
  expect(half.stderr).toContain('--machines: "1.5" is not a whole number\nhint: use a whole number from 1 to 4');
  const noTemplate = await createKvmLab(["x", "-m", "abc", "-y"], { cwd: dir });
  expect(noTemplate.stderr).toContain('--machines: "abc" is not a whole number');
  expect(noTemplate.stderr).toContain("nested-pair: 2-8");
  for (const result of [withTemplate, half, noTemplate]) expect(result.stderr).not.toContain("NaN");
  expect(await files()).toEqual(["kvm-lab.config.mjs"]);
});

test.each([
  [["init", "--templat", "minimal"], "unknown option --templat (did you mean --template?)"],
  [["render", "--foce"], "unknown option --foce (did you mean --force?)"],
  [["plan", "--jsn"], "unknown option --jsn (did you mean --json?)"],
  [["topology", "--formt=svg"], "unknown option --formt (did you mean --format?)"],
  [["render", "--zzzzzz"], "unknown option --zzzzzz"],
])("a misspelt flag: kvm-lab %j suggests the nearest known one", async (args, said) => {
  const result = await kvmLab(args, { cwd: dir });
  expect(result.exitCode).toBe(2);
  expect(result.stderr.split("\n")[0]).toBe(`kvm-lab: ${said}`);
  expect(result.stderr).toContain(`hint: run kvm-lab ${args[0]} --help for the options`);
});

test("create-kvm-lab suggests the nearest flag too", async () => {
  const result = await createKvmLab(["x", "--templat", "minimal"], { cwd: dir });
  expect(result.stderr).toContain("create-kvm-lab: unknown option --templat (did you mean --template?)");
});

test("a command without its argument names what it needs", async () => {
  const result = await kvmLab(["completion"], { cwd: dir });
  expect(result).toMatchObject({ exitCode: 2, stderr: "kvm-lab: completion needs <shell>\nhint: kvm-lab completion <shell> (run kvm-lab completion --help for the options)" });
});

test("render --stdout --check (and --check --force) are refused rather than one ignored", async () => {
  const both = await kvmLab(["render", "--stdout", "--check"], { cwd: dir });
  expect(both).toMatchObject({ exitCode: 2, stdout: "" });
  expect(both.stderr).toContain("kvm-lab: --stdout and --check cannot be used together");
  const force = await kvmLab(["render", "--check", "--force"], { cwd: dir });
  expect(force.exitCode).toBe(2);
  expect(force.stderr).toContain("--check and --force cannot be used together");
  expect(await files()).toEqual(["kvm-lab.config.mjs"]);
});

test("kvm-lab alone prints the help (commands and exit codes) on stderr and exits 2", async () => {
  const result = await kvmLab([], { cwd: dir });
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain("Commands:");
  expect(result.stderr).toMatch(/kvm-lab render +Render the lab's Vagrantfile/);
  expect(result.stderr).toContain("kvm-lab: no command given");
});

test("--help lists every exit code, 130 included", async () => {
  const result = await kvmLab(["--help"], { cwd: dir });
  expect(result.exitCode).toBe(0);
  const help = result.stdout.replace(/\s+/g, " ");
  for (const code of ["0 ok", "1 check failed", "2 bad usage", "3 vagrant missing", "4 vagrant failed", "5 box build failed", "130 interrupted"]) {
    expect(help).toContain(code);
  }
  expect((await createKvmLab(["--help"], { cwd: dir })).stdout).toContain("130 interrupted");
});

test("init --help names the current folder as its default; create-kvm-lab --help names my-kvm-lab", async () => {
  const init = (await kvmLab(["init", "--help"], { cwd: dir })).stdout;
  expect(init).toContain("the project folder (default: the current folder)");
  expect(init).not.toContain("my-kvm-lab");
  expect((await createKvmLab(["--help"], { cwd: dir })).stdout).toContain("the project folder (default: my-kvm-lab");
});

describe("topology --out takes the format from the extension", () => {
  test.each([
    ["t.svg", /^<svg|^<\?xml/, "svg"],
    ["t.dot", /^graph topology \{/, "dot"],
    ["t.gv", /^graph topology \{/, "dot"],
    ["t.mmd", /^(flowchart|graph) /, "mermaid"],
    ["T.SVG", /^<svg|^<\?xml/, "svg"],
  ])("%s", async (out, content, format) => {
    const result = await kvmLab(["topology", "--out", out], { cwd: dir });
    expect(result).toMatchObject({ exitCode: 0, stderr: `wrote ${out} (${format})` });
    expect(await fs.readFile(path.join(dir, out), "utf8")).toMatch(content);
  });

  test(".md gets the Mermaid drawing in a fence, as a README embeds it", async () => {
    const mermaid = (await kvmLab(["topology"], { cwd: dir })).stdout;
    expect((await kvmLab(["topology", "-o", "t.md"], { cwd: dir })).exitCode).toBe(0);
    expect(await fs.readFile(path.join(dir, "t.md"), "utf8")).toBe(`\`\`\`mermaid\n${mermaid}\n\`\`\`\n`);
  });

  test("--format wins over an extension that names no format", async () => {
    expect((await kvmLab(["topology", "-o", "t.txt", "-f", "dot"], { cwd: dir })).exitCode).toBe(0);
    expect(await fs.readFile(path.join(dir, "t.txt"), "utf8")).toMatch(/^graph topology \{/);
  });

  test.each([
    [["-o", "t.svg", "-f", "mermaid"], "--format mermaid contradicts --out t.svg, whose extension means svg", "name the file t.mmd or t.md, or leave out --format"],
    [["-o", "t.png"], "--out t.png: the extension .png names no drawing format", "use one of .svg (svg), .dot (dot), .gv (dot), .mmd (mermaid), .md (mermaid), or pass --format"],
    [["-o", "drawing"], "--out drawing: no extension to tell the format by", "or pass --format"],
  ])("%j is refused with the fix, nothing written", async (args, said, fix) => {
    const result = await kvmLab(["topology", ...args], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`kvm-lab: ${said}`);
    expect(result.stderr).toContain(fix);
    expect(await files()).toEqual(["kvm-lab.config.mjs"]);
  });
});

test("validate counts one machine in the singular", async () => {
  const result = await kvmLab(["validate"], { cwd: dir });
  expect(result.stdout).toContain("config ok: kvm-lab.config.mjs (1 machine, provider virtualbox)");
});

test("a value outside a flag's or argument's choices is named with the choices, in our words", async () => {
  const shell = await kvmLab(["completion", "fish"], { cwd: dir });
  expect(shell.exitCode).toBe(2);
  expect(shell.stderr).toContain('kvm-lab: shell: "fish" is not one of bash, zsh\nhint: use one of the values named');
  const provider = await kvmLab(["plan", "--provider", "vmware"], { cwd: dir });
  expect(provider.exitCode).toBe(2);
  expect(provider.stderr).toContain('kvm-lab: --provider: "vmware" is not one of virtualbox, libvirt');
  expect(provider.stderr).not.toContain("Invalid values");
});
