// `kvm-lab render`, run as the built binary: writing, --stdout, --check, and never losing
// a hand-written or hand-edited Vagrantfile.
import path from "node:path";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { ROOT, tempDir } from "../support/tools.js";

const CONFIG = `import { defineLab } from "kvm-lab";
export default defineLab({
  name: "cli-lab",
  box: "debian/bookworm64",
  networks: { mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" } },
  machines: [{ name: "node1", nics: [{ network: "mgmt", ip: "192.168.56.10" }] }],
});
`;

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-cli-");
  await fs.writeFile(path.join(dir, "kvm-lab.config.ts"), CONFIG);
});
afterEach(() => fs.remove(dir));

const vagrantfile = () => path.join(dir, "Vagrantfile");
const leftovers = async () => (await fs.readdir(dir)).filter((f) => f.endsWith(".tmp"));

test("writes the Vagrantfile beside the config, then reports it unchanged", async () => {
  const first = await kvmLab(["render"], { cwd: dir });
  expect(first).toMatchObject({ exitCode: 0, stdout: "wrote Vagrantfile (1 machine, virtualbox)" });
  expect(await fs.readFile(vagrantfile(), "utf8")).toContain('config.vm.define "node1" do |node|');
  const second = await kvmLab(["render"], { cwd: dir });
  expect(second.stdout).toBe("unchanged: Vagrantfile (1 machine, virtualbox)");
  expect(await leftovers()).toEqual([]);
});

test("--stdout prints and writes nothing; --provider overrides the config", async () => {
  const result = await kvmLab(["render", "--stdout", "--provider", "libvirt"], { cwd: dir });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain('node.vm.provider "libvirt" do |libvirt|');
  expect(await fs.pathExists(vagrantfile())).toBe(false);
});

test("--check exits 1 when the Vagrantfile is missing or stale, 0 when current", async () => {
  expect((await kvmLab(["render", "--check"], { cwd: dir })).exitCode).toBe(1);
  await kvmLab(["render"], { cwd: dir });
  expect((await kvmLab(["render", "--check"], { cwd: dir })).exitCode).toBe(0);
  await fs.writeFile(path.join(dir, "kvm-lab.config.ts"), CONFIG.replace("node1", "node2"));
  const stale = await kvmLab(["render", "--check"], { cwd: dir });
  expect(stale.exitCode).toBe(1);
  expect(stale.stderr).toContain("Vagrantfile differs from what the config renders");
});

test("--check on a hand-edited file points at what works: render --force (with the same flags), keeping a backup", async () => {
  const out = "Vagrantfile.mine";
  await kvmLab(["render", "--out", out], { cwd: dir });
  await fs.appendFile(path.join(dir, out), "# edited\n");
  const check = await kvmLab(["render", "--check", "--out", out], { cwd: dir });
  expect(check.exitCode).toBe(1);
  expect(check.stderr).toContain("Vagrantfile.mine was edited by hand since kvm-lab wrote it");
  expect(check.stderr).toContain("hint: move your changes into the lab config, then run `kvm-lab render --out Vagrantfile.mine --force` (it keeps the old file as Vagrantfile.mine.kvm-lab.bak)");
  const forced = await kvmLab(["render", "--out", out, "--force"], { cwd: dir });
  expect(forced.exitCode).toBe(0);
  expect((await kvmLab(["render", "--check", "--out", out], { cwd: dir })).exitCode).toBe(0);
});

test("refuses to overwrite a hand-edited Vagrantfile; --force keeps the old one as a backup", async () => {
  await kvmLab(["render"], { cwd: dir });
  const edited = (await fs.readFile(vagrantfile(), "utf8")).replace("vb.memory = 2048", "vb.memory = 9999");
  await fs.writeFile(vagrantfile(), edited);
  await fs.writeFile(path.join(dir, "kvm-lab.config.ts"), CONFIG.replace("node1", "node2"));

  const refused = await kvmLab(["render"], { cwd: dir });
  expect(refused.exitCode).toBe(2);
  expect(refused.stderr).toContain("was edited by hand since kvm-lab wrote it; not overwriting it");
  expect(refused.stderr).toContain("hint: move your changes into the lab config, or run again with --force");
  expect(await fs.readFile(vagrantfile(), "utf8")).toBe(edited);

  const forced = await kvmLab(["render", "--force"], { cwd: dir });
  expect(forced.exitCode).toBe(0);
  expect(await fs.readFile(path.join(dir, "Vagrantfile.kvm-lab.bak"), "utf8")).toBe(edited);
  expect(await fs.readFile(vagrantfile(), "utf8")).toContain('"node2"');
});

test("a second --force never overwrites the first backup: each hand edit is kept under its own name", async () => {
  await kvmLab(["render"], { cwd: dir });
  const rendered = await fs.readFile(vagrantfile(), "utf8");
  const firstEdit = rendered.replace("vb.memory = 2048", "vb.memory = 1111");
  await fs.writeFile(vagrantfile(), firstEdit);
  await fs.writeFile(path.join(dir, "kvm-lab.config.ts"), CONFIG.replace("node1", "node2"));
  const first = await kvmLab(["render", "--force"], { cwd: dir });
  expect(first.stderr).toBe("kept the previous file as Vagrantfile.kvm-lab.bak");

  const secondEdit = (await fs.readFile(vagrantfile(), "utf8")).replace("vb.memory = 2048", "vb.memory = 2222");
  await fs.writeFile(vagrantfile(), secondEdit);
  await fs.writeFile(path.join(dir, "kvm-lab.config.ts"), CONFIG.replace("node1", "node3"));
  const refused = await kvmLab(["render"], { cwd: dir });
  expect(refused.stderr).toContain("(the old file is kept as Vagrantfile.kvm-lab.bak.1)");
  const second = await kvmLab(["render", "--force"], { cwd: dir });
  expect(second).toMatchObject({ exitCode: 0, stderr: "kept the previous file as Vagrantfile.kvm-lab.bak.1" });
  expect(await fs.readFile(path.join(dir, "Vagrantfile.kvm-lab.bak"), "utf8")).toBe(firstEdit);
  expect(await fs.readFile(path.join(dir, "Vagrantfile.kvm-lab.bak.1"), "utf8")).toBe(secondEdit);
  expect(await fs.readFile(vagrantfile(), "utf8")).toContain('"node3"');
});

test("with --out, the refusal and the backup name the file really written", async () => {
  const out = path.join("sub", "Vagrantfile.lab");
  expect((await kvmLab(["render", "--out", out], { cwd: dir })).exitCode).toBe(0);
  await fs.appendFile(path.join(dir, out), "# my note\n");
  const refused = await kvmLab(["render", "--out", out, "--provider", "libvirt"], { cwd: dir });
  expect(refused.exitCode).toBe(2);
  expect(refused.stderr).toContain("(the old file is kept as Vagrantfile.lab.kvm-lab.bak)");
  const forced = await kvmLab(["render", "--out", out, "--provider", "libvirt", "--force"], { cwd: dir });
  expect(forced.stderr).toBe(`kept the previous file as ${path.join("sub", "Vagrantfile.lab.kvm-lab.bak")}`);
  expect(await fs.readFile(path.join(dir, "sub", "Vagrantfile.lab.kvm-lab.bak"), "utf8")).toMatch(/# my note\n$/);
  expect(await fs.pathExists(path.join(dir, "Vagrantfile.kvm-lab.bak"))).toBe(false);
});

test("refuses to overwrite a Vagrantfile kvm-lab did not write", async () => {
  const mine = 'Vagrant.configure("2") { |c| c.vm.box = "mine" }\n';
  await fs.writeFile(vagrantfile(), mine);
  const refused = await kvmLab(["render"], { cwd: dir });
  expect(refused.exitCode).toBe(2);
  expect(refused.stderr).toContain("was not written by kvm-lab");
  expect(await fs.readFile(vagrantfile(), "utf8")).toBe(mine);
});

test("a bad config exits 2, lists every problem with its path, and writes nothing", async () => {
  await fs.writeFile(
    path.join(dir, "kvm-lab.config.ts"),
    CONFIG.replace('ip: "192.168.56.10"', 'ip: "192.168.56.300"').replace('name: "node1"', 'name: "node_1", cpu: 2'),
  );
  const result = await kvmLab(["render"], { cwd: dir });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("kvm-lab: config has 3 problems in");
  expect(result.stderr).toContain("machines[0].nics[0].ip: 192.168.56.300 is not an IPv4 address");
  expect(result.stderr).toContain('machines[0].cpu: is not a known setting; did you mean "cpus"?');
  expect(result.stderr).toContain('machines[0].name: "node_1" is not a valid hostname');
  expect(await fs.pathExists(vagrantfile())).toBe(false);
});

test("a config with a syntax error exits 2 naming the file", async () => {
  await fs.writeFile(path.join(dir, "kvm-lab.config.ts"), "export default defineLab({ name: ");
  const result = await kvmLab(["render"], { cwd: dir });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toMatch(/kvm-lab\.config\.ts:1:\d+: syntax error: /);
});

test("no config at all: exit 2 with the way out", async () => {
  await fs.remove(path.join(dir, "kvm-lab.config.ts"));
  const result = await kvmLab(["render"], { cwd: dir });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("create kvm-lab.config.ts (npm create kvm-lab makes one), or pass --config FILE");
});

test("JSON and .mjs configs load too", async () => {
  await fs.remove(path.join(dir, "kvm-lab.config.ts"));
  const json = { name: "j", box: "b", machines: [{ name: "m" }] };
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), json);
  expect((await kvmLab(["render", "--stdout"], { cwd: dir })).stdout).toContain('config.vm.define "m"');
  await fs.writeFile(path.join(dir, "lab.mjs"), `export default ${JSON.stringify({ ...json, name: "k" })};`);
  expect((await kvmLab(["render", "--stdout", "--config", "lab.mjs"], { cwd: dir })).stdout).toContain('Lab "k"');
});

test("bad usage exits 2", async () => {
  expect((await kvmLab(["render", "--provider", "hyperv"], { cwd: dir })).exitCode).toBe(2);
  expect((await kvmLab(["renderr"], { cwd: dir })).exitCode).toBe(2);
  expect((await kvmLab([], { cwd: dir })).exitCode).toBe(2);
});

test("the bundled example renders to Vagrantfile.example, byte for byte", async () => {
  const result = await kvmLab(
    ["render", "--check", "--config", "examples/nested-lab/kvm-lab.config.ts", "--out", "Vagrantfile.example"],
    { cwd: ROOT },
  );
  expect(result.stderr).toBe("");
  expect(result).toMatchObject({ exitCode: 0, stdout: "Vagrantfile.example is up to date" });
});
