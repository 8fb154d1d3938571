// `kvm-lab validate` (config checks, then the real `vagrant validate`) and `kvm-lab plan`.
import path from "node:path";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { libvirtReachable, ROOT, tempDir, TWIN_BIN } from "../support/tools.js";

const EXAMPLE = path.join(ROOT, "examples", "nested-lab");
const TWIN_PATH = `${TWIN_BIN}:${process.env.PATH}`;

test("validate: config ok, then vagrant validate passes on the VirtualBox block", async () => {
  const result = await kvmLab(["validate"], { cwd: EXAMPLE, env: { PATH: TWIN_PATH } });
  expect(result.stdout).toContain("config ok: kvm-lab.config.ts (2 machines, provider virtualbox)");
  expect(result.stdout).toContain("vagrant validate: Vagrantfile validated successfully.");
  expect(result.exitCode).toBe(0);
});

test("validate: libvirt block checked against a running libvirtd", async () => {
  if (!libvirtReachable()) {
    process.stderr.write("skipped: libvirtd not reachable\n");
    return;
  }
  const result = await kvmLab(["validate", "--provider", "libvirt"], { cwd: EXAMPLE });
  expect(result.stdout).toContain("vagrant validate: Vagrantfile validated successfully.");
  expect(result.exitCode).toBe(0);
});

test("validate without VirtualBox on the host: vagrant's own error, exit 4", async () => {
  const dir = await tempDir();
  try {
    // An empty bin dir first on PATH hides nothing but leaves VBoxManage out: the real vagrant complains.
    const result = await kvmLab(["validate", "--config", path.join(EXAMPLE, "kvm-lab.config.ts")], {
      cwd: dir,
      env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin" },
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("kvm-lab: vagrant validate failed");
  } finally {
    await fs.remove(dir);
  }
});

test("validate with vagrant missing: config still checked, vagrant step skipped with the reason", async () => {
  const result = await kvmLab(["validate"], { cwd: EXAMPLE, env: { KVM_LAB_VAGRANT: "/nonexistent/vagrant" } });
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
  expect(lines).toContainEqual(expect.stringMatching(/^5 +null +- +- +- +auto +no +no +no +no$/));
});

test("plan --json", async () => {
  const result = await kvmLab(["plan", "--json"], { cwd: EXAMPLE });
  const plan = JSON.parse(result.stdout);
  expect(plan.machines.map((m: { machine: string }) => m.machine)).toEqual(["controller", "compute"]);
  expect(plan.machines[1].adapters[3]).toMatchObject({ slot: 4, mode: "bridged", attachedTo: "eth0", toOutside: "yes" });
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
