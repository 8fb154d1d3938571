// `kvm-lab validate` (config checks, then the real `vagrant validate`) and `kvm-lab plan`.
import path from "node:path";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { libvirtReachable, ROOT, tempDir, TWIN_BIN } from "../support/tools.js";

const EXAMPLE = path.join(ROOT, "examples", "nested-lab");
const TWIN_PATH = `${TWIN_BIN}:${process.env.PATH}`;

/** A copy of the example lab in a temporary folder, rendered there. */
async function renderedExample(): Promise<string> {
  const dir = await tempDir("kvm-lab-validate-cli-");
  await fs.copy(path.join(EXAMPLE, "kvm-lab.config.ts"), path.join(dir, "kvm-lab.config.ts"));
  expect((await kvmLab(["render"], { cwd: dir })).exitCode).toBe(0);
  return dir;
}

let lab: string;
beforeEach(async () => {
  lab = await renderedExample();
});
afterEach(() => fs.remove(lab));

test("validate: config ok, then vagrant validate passes on the Vagrantfile on disk, VirtualBox block included", async () => {
  const result = await kvmLab(["validate"], { cwd: lab, env: { PATH: TWIN_PATH } });
  expect(result.stdout).toContain("config ok: kvm-lab.config.ts (2 machines, provider virtualbox)");
  expect(result.stdout).toContain("vagrant validate Vagrantfile: Vagrantfile validated successfully.");
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  expect((await fs.readdir(lab)).sort()).toEqual(["Vagrantfile", "kvm-lab.config.ts"]); // no .vagrant left behind
});

test("validate: libvirt block checked against a running libvirtd", async () => {
  if (!libvirtReachable()) {
    process.stderr.write("skipped: libvirtd not reachable\n");
    return;
  }
  expect((await kvmLab(["render", "--provider", "libvirt", "--force"], { cwd: lab })).exitCode).toBe(0);
  const result = await kvmLab(["validate", "--provider", "libvirt"], { cwd: lab });
  expect(result.stdout).toContain("vagrant validate Vagrantfile: Vagrantfile validated successfully.");
  expect(result.exitCode).toBe(0);
});

test("validate reads the file on disk: garbage appended fails in Vagrant's words, and the hand edit is named", async () => {
  await fs.appendFile(path.join(lab, "Vagrantfile"), "this is not ruby (\n");
  const result = await kvmLab(["validate"], { cwd: lab, env: { PATH: TWIN_PATH } });
  expect(result.exitCode).toBe(4);
  expect(result.stderr).toContain("kvm-lab: vagrant validate failed");
  expect(result.stderr).toMatch(/syntax error/);
  expect(result.stderr).toContain("note: Vagrantfile was edited by hand since kvm-lab wrote it");
  expect(result.stderr).toContain("`kvm-lab render --force` (it keeps the old file as Vagrantfile.kvm-lab.bak)");
});

test("validate: a hand edit Vagrant accepts still fails (exit 1), naming the edit and the fix", async () => {
  const file = path.join(lab, "Vagrantfile");
  await fs.writeFile(file, (await fs.readFile(file, "utf8")).replace("vb.memory = 8192", "vb.memory = 4096"));
  const result = await kvmLab(["validate"], { cwd: lab, env: { PATH: TWIN_PATH } });
  expect(result.stdout).toContain("Vagrantfile validated successfully.");
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain("kvm-lab: Vagrantfile was edited by hand since kvm-lab wrote it");
  expect(result.stderr).toContain("hint: move your changes into the lab config, then run `kvm-lab render --force`");
});

test("validate: a stale Vagrantfile (config changed since render) exits 1 with `kvm-lab render`", async () => {
  const config = path.join(lab, "kvm-lab.config.ts");
  await fs.writeFile(config, (await fs.readFile(config, "utf8")).replace('"compute"', '"worker"'));
  const result = await kvmLab(["validate"], { cwd: lab, env: { PATH: TWIN_PATH } });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain("kvm-lab: Vagrantfile differs from what the config renders: the config (or kvm-lab) changed since it was rendered");
  expect(result.stderr).toContain("hint: run `kvm-lab render`");
});

test("validate: a deleted Vagrantfile exits 1 with `kvm-lab render` (with the --config given)", async () => {
  await fs.remove(path.join(lab, "Vagrantfile"));
  const result = await kvmLab(["validate", "--config", "kvm-lab.config.ts"], { cwd: lab, env: { PATH: TWIN_PATH } });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain("kvm-lab: Vagrantfile does not exist\nhint: run `kvm-lab render --config kvm-lab.config.ts` to write it");
});

test("validate --vagrantfile checks a Vagrantfile rendered elsewhere with render --out", async () => {
  expect((await kvmLab(["render", "--out", "sub/Vagrantfile"], { cwd: lab })).exitCode).toBe(0);
  const ok = await kvmLab(["validate", "--vagrantfile", "sub/Vagrantfile"], { cwd: lab, env: { PATH: TWIN_PATH } });
  expect(ok.stdout).toContain("vagrant validate sub/Vagrantfile: Vagrantfile validated successfully.");
  expect(ok.exitCode).toBe(0);
  await fs.appendFile(path.join(lab, "sub", "Vagrantfile"), "# mine\n");
  const edited = await kvmLab(["validate", "--vagrantfile", "sub/Vagrantfile"], { cwd: lab, env: { PATH: TWIN_PATH } });
  expect(edited.exitCode).toBe(1);
  expect(edited.stderr).toContain("run `kvm-lab render --out sub/Vagrantfile --force` (it keeps the old file as Vagrantfile.kvm-lab.bak)");
});

test("validate without VirtualBox on the host: says what is missing, validates the rest, the config is fine", async () => {
  const elsewhere = await tempDir();
  try {
    // A PATH of system folders only: no VBoxManage twin, and the real vagrant complains.
    const result = await kvmLab(["validate", "--config", path.join(lab, "kvm-lab.config.ts")], {
      cwd: elsewhere,
      env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin" },
    });
    expect(result.stdout).toContain("Vagrantfile validated successfully. (all but the virtualbox provider block)");
    expect(result.stderr).toContain("the virtualbox block cannot be checked here: VirtualBox is not installed here (Vagrant found no VBoxManage on PATH)");
    expect(result.stderr).toContain("the config itself is fine: it rendered, and Vagrant parsed the Vagrantfile");
    expect(result.stderr).not.toContain("Vagrant could not detect VirtualBox");
    expect(result.exitCode).toBe(0);
  } finally {
    await fs.remove(elsewhere);
  }
});

test("validate without VirtualBox still fails a Vagrantfile Ruby cannot parse", async () => {
  await fs.appendFile(path.join(lab, "Vagrantfile"), "end end\n");
  const result = await kvmLab(["validate"], { cwd: lab, env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin" } });
  expect(result.exitCode).toBe(4);
  expect(result.stderr).toMatch(/syntax error/);
});

test("validate with vagrant missing: config still checked, vagrant step skipped with the reason", async () => {
  const result = await kvmLab(["validate"], { cwd: lab, env: { KVM_LAB_VAGRANT: "/nonexistent/vagrant" } });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain("config ok");
  expect(result.stderr).toContain('vagrant validate skipped: vagrant is not installed (looked for "/nonexistent/vagrant")');
});

test("plan: a table per machine with slot, mode, network, address and reach", async () => {
  const result = await kvmLab(["plan"], { cwd: EXAMPLE });
  expect(result.exitCode).toBe(0);
  const lines = result.stdout.split("\n");
  expect(lines).toContainEqual(expect.stringMatching(/^1 +nat +\(vagrant\) +10\.0\.2\.0\/24 +10\.0\.2\.15 +auto +yes +no +yes +port-forward$/));
  expect(lines).toContainEqual(expect.stringMatching(/^3 +intnet +tenant +nested-lab-tenant +10\.10\.0\.10 +auto +no +yes +no +no$/));
  expect(lines).toContainEqual(expect.stringMatching(/^4 +natnetwork +outside +nested-lab-outside +DHCP +auto +yes +yes +yes +port-forward$/));
  expect(lines).toContainEqual(expect.stringMatching(/^5 +null +- +- +none +auto +no +no +no +no$/));
});

test("plan --json: typed values (booleans, null), not the table's words", async () => {
  const result = await kvmLab(["plan", "--json"], { cwd: EXAMPLE });
  const plan = JSON.parse(result.stdout);
  expect(plan.machines.map((m: { machine: string }) => m.machine)).toEqual(["controller", "compute"]);
  expect(plan.machines[1].adapters[3]).toEqual({
    slot: 4, mode: "bridged", network: "lan", attachedTo: "eth0", ip: null, addressing: "dhcp", mac: null,
    reach: { toHost: true, toOtherVms: true, toOutside: true, fromHost: true },
  });
  const [first, , tenant, outside, unplugged] = plan.machines[0].adapters;
  expect(first).toMatchObject({ slot: 1, network: null, ip: "10.0.2.15", addressing: "static", mac: null, reach: { toHost: true, toOtherVms: false, fromHost: "port-forward" } });
  expect(tenant).toMatchObject({ network: "tenant", ip: "10.10.0.10", addressing: "static", reach: { toHost: false, toOutside: false } });
  expect(outside).toMatchObject({ ip: null, addressing: "dhcp", reach: { fromHost: "port-forward" } });
  expect(unplugged).toMatchObject({ mode: "null", network: null, attachedTo: null, ip: null, addressing: "none" });
  expect(plan.resources.needs.memoryMiB).toBe(8192 + 4096);
});

test("plan on libvirt: reach as libvirt renders each mode, the same verdicts as plan --matrix", async () => {
  const plan = await kvmLab(["plan", "--provider", "libvirt"], { cwd: EXAMPLE });
  expect(plan.exitCode).toBe(0);
  expect(plan.stdout).not.toContain("VirtualBox");
  expect(plan.stdout).toContain("lab nested-lab (libvirt); reach as libvirt renders each mode");
  const lines = plan.stdout.split("\n");
  // The NAT Network is reached directly from the host; bridged by macvtap keeps the host apart.
  expect(lines).toContainEqual(expect.stringMatching(/^4 +natnetwork +outside +nested-lab-outside +DHCP +auto +yes +yes +yes +yes$/));
  expect(lines).toContainEqual(expect.stringMatching(/^4 +bridged +lan +eth0 +DHCP +auto +no +yes +yes +no$/));
  const matrix = JSON.parse((await kvmLab(["plan", "--matrix", "--json", "--provider", "libvirt"], { cwd: EXAMPLE })).stdout);
  const verdict = (id: string) => matrix.pairs.find((p: { id: string }) => p.id === id)?.expected;
  expect(verdict("host -> controller @outside")).toBe(true);
  expect(verdict("controller -> host @outside")).toBe(true);
  expect(verdict("compute -> host @lan")).toBe(false);
});

test("plan --matrix fits 120 columns when piped: long rules wrap under their column", async () => {
  const dir = path.join(ROOT, "test", "golden", "every-mode");
  for (const provider of ["virtualbox", "libvirt"]) {
    const result = await kvmLab(["plan", "--matrix", "--provider", provider], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.filter((line) => line.length > 120)).toEqual([]);
    const ruleAt = lines.find((line) => line.startsWith("from "))!.indexOf("rule");
    const continued = lines.filter((line) => /^ +\S/.test(line));
    expect(continued.length).toBeGreaterThan(0);
    for (const line of continued) expect(line.search(/\S/)).toBe(ruleAt); // wrapped text stays in the rule column
  }
});
