// The snapshot commands' usage errors, a lab that is not up (both providers: no vagrant and no
// provider tool runs), snapshot names in completion, and `test --reuse` under injected faults
// (the fake vagrant): a failed run keeps the lab and says so; machines left from before without
// a clean snapshot are destroyed before up. Real libvirt: snapshot-libvirt.test.ts.
import path from "node:path";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { ROOT, tempDir, TWIN_BIN } from "../support/tools.js";

const FAKES = path.join(ROOT, "test", "support", "fakes");

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-snapshot-cli-");
});
afterEach(() => fs.remove(dir));

async function lab(provider: "libvirt" | "virtualbox", machines = ["node1", "node2"]): Promise<void> {
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), { name: "snaps", box: "b", provider, checks: { timeoutSeconds: 5 }, machines: machines.map((name) => ({ name })) });
}

test("usage errors exit 2 and say the fix", async () => {
  await lab("libvirt");
  const cases: [string[], string][] = [
    [["snapshot", "delete"], "snapshot delete needs the NAME of the snapshot"],
    [["snapshot", "save", "no good"], '"no good" is not a snapshot name'],
    [["snapshot", "restore", "../x"], '"../x" is not a snapshot name'],
    [["snapshot", "list", "x"], "snapshot list takes no NAME"],
    [["snapshot", "restore", "x", "--force"], "--force is for snapshot save"],
    [["snapshot", "undo"], "undo"],
    [["snapshot"], "action"],
    [["reset"], "lab snaps has no clean snapshot to reset to"],
    [["snapshot", "restore", "nope"], 'lab snaps has no snapshot "nope"'],
  ];
  for (const [args, said] of cases) {
    const result = await kvmLab(args, { cwd: dir });
    expect([args, result.exitCode]).toEqual([args, 2]);
    expect(result.stderr).toContain(said);
  }
  expect((await kvmLab(["reset"], { cwd: dir })).stderr).toContain("hint: run kvm-lab test --reuse or kvm-lab snapshot save clean");
});

for (const provider of ["libvirt", "virtualbox"] as const) {
  test(`${provider}: snapshot save of a lab never brought up names each machine and says run kvm-lab up (exit 4)`, async () => {
    await lab(provider);
    const env = { PATH: `${TWIN_BIN}:${process.env.PATH}`, KVMLAB_TWIN_HOME: path.join(dir, "twin") };
    const result = await kvmLab(["snapshot", "save", "before"], { cwd: dir, env });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(`kvm-lab: cannot save snapshot "before": lab snaps is not up:\n  - node1: not created; run kvm-lab up\n  - node2: not created; run kvm-lab up`);
    const list = await kvmLab(["snapshot", "list", "--json"], { cwd: dir, env });
    expect(list.exitCode).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ lab: "snaps", provider, configDigest: expect.stringMatching(/^sha256:/), snapshots: [] });
  });
}

test("completion offers the recorded snapshot names to restore and delete", async () => {
  await lab("libvirt");
  await fs.outputJson(path.join(dir, ".kvm-lab", "snapshots.json"), {
    version: 1,
    snapshots: ["clean", "before-upgrade"].map((name) => ({ name, created: "2026-01-01T00:00:00.000Z", provider: "libvirt", machines: ["node1"], configDigest: "sha256:x" })),
  });
  const complete = async (...words: string[]) => (await kvmLab(["__complete", String(words.length), "kvm-lab", ...words], { cwd: dir })).stdout.split("\n").filter(Boolean);
  expect(await complete("snapshot", "")).toEqual(["save", "restore", "list", "delete"]);
  expect(await complete("snapshot", "restore", "")).toEqual(["clean", "before-upgrade"]);
  expect(await complete("snapshot", "delete", "b")).toEqual(["before-upgrade"]);
  expect(await complete("snapshot", "list", "")).toEqual([]);
});

describe("test --reuse under injected faults", () => {
  let log: string;
  let env: Record<string, string>;
  beforeEach(() => {
    log = path.join(dir, "vagrant-calls.log");
    env = {
      KVM_LAB_VAGRANT: path.join(FAKES, "vagrant"),
      KVM_LAB_QEMU: path.join(FAKES, "guest", "bin", "qemu-system-x86_64"),
      FAKE_LOG: log,
      PATH: `${FAKES}:${TWIN_BIN}:${process.env.PATH}`,
      KVMLAB_TWIN_HOME: path.join(dir, "twin"),
    };
  });

  test("first run whose up fails: nothing destroyed (it is meant for re-runs), and it says so", async () => {
    await lab("virtualbox", ["good", "broken"]);
    const result = await kvmLab(["test", "--reuse"], { cwd: dir, env });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('--reuse: first run (no machine created yet): bringing the lab up afresh, then saving the "clean" snapshot');
    expect(result.stderr).toContain("--reuse: the lab is kept as it is (kvm-lab destroy removes it)");
    const calls = await fs.readFile(log, "utf8");
    expect(calls).toContain("up --machine-readable");
    expect(calls).not.toMatch(/^destroy/m);
  }, 60_000);

  test("machines left from before without a clean snapshot: destroyed first, then up", async () => {
    await lab("virtualbox", ["good", "broken"]);
    await fs.outputFile(path.join(dir, ".vagrant", "machines", "good", "virtualbox", "id"), "00000000-0000-0000-0000-000000000001");
    const result = await kvmLab(["test", "--reuse"], { cwd: dir, env });
    expect(result.stderr).toContain('--reuse: no "clean" snapshot yet: bringing the lab up afresh');
    expect(result.stderr).toContain("--reuse: destroying the lab's machines first");
    const calls = (await fs.readFile(log, "utf8")).split("\n");
    const destroy = calls.findIndex((c) => c.startsWith("destroy -f"));
    expect(destroy).toBeGreaterThanOrEqual(0);
    expect(calls.findIndex((c) => c.startsWith("up "))).toBeGreaterThan(destroy);
    expect(calls.filter((c) => c.startsWith("destroy"))).toHaveLength(1); // not again after the failed up
  }, 60_000);
});

test("virsh missing: exit 3 with the install hint; virsh failing: every machine named with its words (exit 4)", async () => {
  await lab("libvirt");
  for (const m of ["node1", "node2"]) await fs.outputFile(path.join(dir, ".vagrant", "machines", m, "libvirt", "id"), `uuid-${m}`);
  const missing = await kvmLab(["snapshot", "save"], { cwd: dir, env: { KVM_LAB_VIRSH: "/nonexistent/virsh" } });
  expect(missing.exitCode).toBe(3);
  expect(missing.stderr).toContain('virsh cannot be run (looked for "/nonexistent/virsh")');
  expect(missing.stderr).toContain("hint: apt-get install -y libvirt-clients");
  const failing = await kvmLab(["snapshot", "save", "--json"], { cwd: dir, env: { KVM_LAB_VIRSH: "false" } });
  expect(failing.exitCode).toBe(4);
  const error = JSON.parse(failing.stdout).error;
  expect(error.message).toContain("cannot read the state of 2 of 2 machines of lab snaps");
  expect(error.problems.map((p: { path: string }) => p.path)).toEqual(["node1", "node2"]);
});
