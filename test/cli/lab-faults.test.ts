// Driving a lab under injected faults: a fake vagrant and a fake ssh on PATH (the real ones
// are proven in test/e2e/). Missing or old vagrant, one machine failing `vagrant up`, an SSH
// session that hangs, garbage from the guest, and Ctrl-C during `kvm-lab test`.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { BIN, kvmLab } from "../support/cli.js";
import { ROOT, tempDir, TWIN_BIN } from "../support/tools.js";

const FAKES = path.join(ROOT, "test", "support", "fakes");

let dir: string;
let log: string;
let env: Record<string, string>;

async function lab(machines: string[]): Promise<void> {
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), {
    name: "faults",
    box: "b",
    checks: { timeoutSeconds: 5 },
    machines: machines.map((name) => ({ name })),
  });
}

beforeEach(async () => {
  dir = await tempDir("kvm-lab-faults-");
  log = path.join(dir, "vagrant-calls.log");
  // The host preflight of up and test probes KVM with the stand-in guest's QEMU, never the build host's.
  env = {
    KVM_LAB_VAGRANT: path.join(FAKES, "vagrant"),
    KVM_LAB_QEMU: path.join(FAKES, "guest", "bin", "qemu-system-x86_64"),
    FAKE_LOG: log,
    PATH: `${FAKES}:${TWIN_BIN}:${process.env.PATH}`,
  };
});
afterEach(() => fs.remove(dir));

test("vagrant not installed: exit 3 with the install hint", async () => {
  await lab(["good"]);
  const result = await kvmLab(["check"], { cwd: dir, env: { ...env, KVM_LAB_VAGRANT: "/nonexistent/vagrant" } });
  expect(result.exitCode).toBe(3);
  expect(result.stderr).toContain("vagrant is not installed");
  expect(result.stderr).toContain("hint: install Vagrant (Debian/Ubuntu: apt-get install -y vagrant");
});

test("vagrant too old: exit 3", async () => {
  await lab(["good"]);
  const result = await kvmLab(["status"], { cwd: dir, env: { ...env, FAKE_VAGRANT: "old" } });
  expect(result.exitCode).toBe(3);
  expect(result.stderr).toContain("vagrant 2.0.0 is older than 2.2.19");
});

test("validate on a host that serves no NFS: exit 4 in Vagrant's words, with the fix as the hint", async () => {
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), {
    name: "nfs",
    box: "b",
    provider: "libvirt",
    machines: [{ name: "host", syncedFolders: [{ host: ".", guest: "/srv/src", type: "nfs", nfsVersion: 4 }] }],
  });
  expect((await kvmLab(["render"], { cwd: dir, env })).exitCode).toBe(0);
  const result = await kvmLab(["validate"], { cwd: dir, env: { ...env, FAKE_VAGRANT: "no-nfs" } });
  expect(result.exitCode).toBe(4);
  expect(result.stderr).toContain("The executable 'modinfo' Vagrant is trying to run was not");
  expect(result.stderr).toContain("hint: the lab's NFS synced folders (type nfs, or on libvirt a folder without a type) need an NFS server on this host");
});

test("vagrant up failing for one machine: exit 4, the machine named, the tail of its log shown", async () => {
  await lab(["good", "broken"]);
  const result = await kvmLab(["up"], { cwd: dir, env: { ...env, FAKE_VAGRANT: "up-fails-broken" } });
  expect(result.exitCode).toBe(4);
  expect(result.stderr).toContain("kvm-lab: vagrant up (broken) failed");
  expect(result.stderr).toContain("--- broken (not_created), last lines of .kvm-lab/logs/broken.log:");
  expect(result.stderr).toContain("The guest did not get an IP address in time, giving up");
  expect(await fs.readFile(path.join(dir, ".kvm-lab", "logs", "good.log"), "utf8")).toContain("Machine booted and ready!");
  expect(await fs.readFile(log, "utf8")).toContain("up --machine-readable --provider=virtualbox --no-parallel good");
});

/** Host tools that hang for 30 s: the fake guest must never reach the build host's own QEMU, kvm-ok, virsh or network tools. */
async function slowHostTools(): Promise<string> {
  const bin = path.join(dir, "slow-host-bin");
  for (const tool of ["qemu-system-x86_64", "kvm-ok", "virsh", "systemctl", "ip", "libvirtd"]) {
    await fs.outputFile(path.join(bin, tool), "#!/bin/sh\nsleep 30\n", { mode: 0o755 });
  }
  return bin;
}

test("a hung SSH and a guest printing garbage: both reported, the other machine still checked, exit 1", async () => {
  await lab(["good", "hang", "garbage"]);
  const junit = path.join(dir, "report.xml");
  // The good guest's report is the same on any build host: with or without KVM, and with a QEMU that hangs.
  const slow = await slowHostTools();
  const started = Date.now();
  const result = await kvmLab(["check", "--json", "--junit", junit], { cwd: dir, env: { ...env, PATH: `${FAKES}:${slow}:${TWIN_BIN}:${process.env.PATH}` } });
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(result.exitCode).toBe(1);
  const report = JSON.parse(result.stdout);
  const byName = Object.fromEntries(report.machines.map((m: { machine: string }) => [m.machine, m]));
  expect(byName.hang).toMatchObject({ reachable: false, error: "no answer within 5 s (SSH hung)" });
  expect(byName.garbage.reachable).toBe(false);
  expect(byName.garbage.error).toMatch(/^unreadable check line from the guest/);
  expect(byName.good).toMatchObject({ reachable: true, passed: true });
  expect(byName.good.checks.map((c: { id: string; status: string }) => `${c.id} ${c.status}`)).toEqual([
    "cpu-flags pass", "kvm-modules pass", "dev-kvm pass", "kvm-runs pass", "kvm-ok pass", "nested-param pass", "libvirtd pass", "virbr0 pass",
  ]);
  expect(byName.good.seconds).toBeLessThan(4);
  await execa("xmllint", ["--noout", junit]);
  const xml = await fs.readFile(junit, "utf8");
  expect(xml).toContain('<testsuite name="faults.hang" tests="1" failures="1"');
  expect(xml.match(/<testcase /g)!.length).toBe(8 + 1 + 1);
});

test("Ctrl-C during kvm-lab test: vagrant stopped, the lab destroyed, exit 130", async () => {
  await lab(["good"]);
  const child = execa("node", [BIN, "test"], { cwd: dir, env: { ...env, FAKE_VAGRANT: "up-slow" }, reject: false, all: true });
  for (let i = 0; i < 100 && !(await fs.readFile(log, "utf8").catch(() => "")).includes("up --machine-readable"); i++) {
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(child.pid!, "SIGINT");
  const result = await child;
  expect(result.exitCode).toBe(130);
  expect(String(result.all)).toContain("SIGINT: stopping; the lab will be destroyed");
  expect(await fs.readFile(log, "utf8")).toMatch(/^destroy -f$/m);
}, 60_000);

test("check --network: a hung guest is reported and fails the run; the others still answer; nothing is left listening", async () => {
  await lab(["good", "hang"]);
  const junit = path.join(dir, "network.xml");
  const result = await kvmLab(["check", "--network", "--json", "--junit", junit], { cwd: dir, env });
  expect(result.exitCode).toBe(1);
  const report = JSON.parse(result.stdout);
  expect(report.passed).toBe(false);
  expect(report.problems).toEqual([{ machine: "hang", failing: true, problem: "not probed: no answer in time" }]);
  // With no lab networks and no --outside, the pairs are the two ways out through adapter 1: skipped, saying why.
  const byId = Object.fromEntries(report.pairs.map((p: { id: string }) => [p.id, p]));
  expect(byId["good -> outside via nic1"]).toMatchObject({ status: "skip", explanation: "no outside stand-in given (--outside ADDRESS[:PORT])" });
  expect(byId["hang -> outside via nic1"]).toMatchObject({ status: "skip", explanation: "hang could not be reached over SSH" });
  await execa("xmllint", ["--noout", junit]);
  expect(await fs.readFile(junit, "utf8")).toContain('<testcase classname="faults.network.hang" name="guest"');
  const listening = await execa("ss", ["-Hltn", "sport = :47474"], { reject: false });
  expect(String(listening.stdout).trim()).toBe("");
});

test("check --network: a bad --outside and machine names are usage errors", async () => {
  await lab(["good"]);
  const bad = await kvmLab(["check", "--network", "--outside", "example.com"], { cwd: dir, env });
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toContain('--outside: "example.com" is not ADDRESS or ADDRESS:PORT');
  const alone = await kvmLab(["check", "--outside", "203.0.113.2"], { cwd: dir, env });
  expect(alone.exitCode).toBe(2);
  expect(alone.stderr).toContain("--outside is the stand-in for the network check");
  const named = await kvmLab(["check", "--network", "good"], { cwd: dir, env });
  expect(named.exitCode).toBe(2);
  expect(named.stderr).toContain("check --network covers the whole lab");
});

test("check on a lab that is not up: which machines are not running, their state, and run kvm-lab up (table, JSON, JUnit)", async () => {
  await lab(["good", "off", "new"]);
  const down = { ...env, FAKE_VAGRANT: "down" };
  const junit = path.join(dir, "report.xml");
  const json = await kvmLab(["check", "--json", "--junit", junit], { cwd: dir, env: down });
  expect(json.exitCode).toBe(1);
  const byName = Object.fromEntries(JSON.parse(json.stdout).machines.map((m: { machine: string }) => [m.machine, m]));
  expect(byName.off).toMatchObject({ passed: false, reachable: false, state: "shutoff", error: "not running (vagrant status: shutoff)", fix: "run kvm-lab up" });
  expect(byName.new).toMatchObject({ reachable: false, state: "not_created", error: "not running (vagrant status: not_created)", fix: "run kvm-lab up" });
  expect(byName.good).toMatchObject({ passed: true, state: null, error: null, fix: null });
  const xml = await fs.readFile(junit, "utf8");
  expect(xml).toContain('<failure message="not running (vagrant status: shutoff)">not running (vagrant status: shutoff)\nfix: run kvm-lab up</failure>');
  const table = await kvmLab(["check"], { cwd: dir, env: down });
  expect(table.stdout).toContain("new: not running (vagrant status: not_created)\n  fix: run kvm-lab up");
  for (const text of [json.stdout, xml, table.stdout, table.stderr]) expect(text).not.toContain("the state that you expect");
});

test("ssh-config on a lab that is not up: exit 4, each machine not running named with its state and the fix; --json typed", async () => {
  await lab(["good", "off", "new"]);
  const down = { ...env, FAKE_VAGRANT: "down" };
  const text = await kvmLab(["ssh-config"], { cwd: dir, env: down });
  expect(text.exitCode).toBe(4);
  expect(text.stdout).toContain("Host good");
  expect(text.stderr).toContain("off: not running (vagrant status: shutoff); run kvm-lab up");
  expect(text.stderr).toContain("new: not running (vagrant status: not_created); run kvm-lab up");
  expect(text.stderr).not.toContain("the state that you expect");
  const json = await kvmLab(["ssh-config", "--json"], { cwd: dir, env: down });
  expect(json.exitCode).toBe(4);
  const report = JSON.parse(json.stdout);
  expect(report.complete).toBe(false);
  expect(report.machines).toEqual([
    { machine: "good", ssh: { hostName: "127.0.0.1", port: 2222, user: "vagrant", identityFiles: ["/tmp/fake key"] }, state: null, error: null, fix: null },
    { machine: "off", ssh: null, state: "shutoff", error: "not running (vagrant status: shutoff)", fix: "run kvm-lab up" },
    { machine: "new", ssh: null, state: "not_created", error: "not running (vagrant status: not_created)", fix: "run kvm-lab up" },
  ]);
});

test("status --json: typed states; errors in --json mode are JSON on stdout too, with the same exit code", async () => {
  await lab(["good", "off", "new"]);
  const status = await kvmLab(["status", "--json"], { cwd: dir, env: { ...env, FAKE_VAGRANT: "down" } });
  expect(status.exitCode).toBe(0);
  expect(JSON.parse(status.stdout)).toEqual({
    lab: "faults",
    machines: [
      { machine: "good", state: "running", running: true },
      { machine: "off", state: "shutoff", running: false },
      { machine: "new", state: "not_created", running: false },
    ],
  });
  const missing = await kvmLab(["check", "--json"], { cwd: dir, env: { ...env, KVM_LAB_VAGRANT: "/nonexistent/vagrant" } });
  expect(missing.exitCode).toBe(3);
  expect(JSON.parse(missing.stdout)).toEqual({
    error: { code: "VAGRANT_MISSING", exitCode: 3, message: 'vagrant is not installed (looked for "/nonexistent/vagrant")', hint: expect.stringContaining("apt-get install -y vagrant"), problems: [] },
  });
  expect(missing.stderr).toContain("vagrant is not installed");
  const usage = await kvmLab(["status", "--json", "nosuch"], { cwd: dir, env });
  expect(usage.exitCode).toBe(2);
  expect(JSON.parse(usage.stdout).error).toMatchObject({ code: "USAGE", exitCode: 2, message: "no machine nosuch in lab faults", hint: "machines: good, off, new", problems: [] });
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), { name: "faults", box: "b", machines: [{ name: "good", cpus: "many" }] });
  const config = await kvmLab(["check", "--json"], { cwd: dir, env });
  expect(config.exitCode).toBe(2);
  const error = JSON.parse(config.stdout).error;
  expect(error.code).toBe("CONFIG_INVALID");
  expect(error.problems[0]).toMatchObject({ path: "machines[0] (good).cpus" });
  expect(typeof error.problems[0].message).toBe("string");
});
