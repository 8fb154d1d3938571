// `kvm-lab up` and autostart: without machine names it brings up what `vagrant up` would
// (not the autostart: false machines), in waves; named machines come up whatever autostart
// says. A fake vagrant logs the calls (booting real VMs is the e2e tests' job).
import path from "node:path";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { ROOT, tempDir, TWIN_BIN } from "../support/tools.js";

const FAKES = path.join(ROOT, "test", "support", "fakes");
let dir: string;
let log: string;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await tempDir("kvm-lab-up-order-");
  log = path.join(dir, "vagrant-calls.log");
  env = {
    KVM_LAB_VAGRANT: path.join(FAKES, "vagrant"),
    KVM_LAB_QEMU: path.join(FAKES, "guest", "bin", "qemu-system-x86_64"),
    FAKE_LOG: log,
    FAKE_VAGRANT: "up-ok",
    PATH: `${FAKES}:${TWIN_BIN}:${process.env.PATH}`,
  };
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), {
    name: "order",
    box: "b",
    provider: "virtualbox",
    defaults: { memory: 256, cpus: 1 },
    machines: [
      { name: "web", upAfter: ["sql"] },
      { name: "sql" },
      { name: "spare", autostart: false, upAfter: ["web"] },
    ],
  });
});
afterEach(() => fs.remove(dir));

const upCalls = async () => (await fs.readFile(log, "utf8")).split("\n").filter((l) => l.startsWith("up ")).map((l) => l.split(" ").slice(4).join(" "));

test("up without names: the autostart machines, in upAfter order", async () => {
  const result = await kvmLab(["up"], { cwd: dir, env });
  expect(result.stderr).not.toContain("kvm-lab:");
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain("up: web, sql");
  expect(await upCalls()).toEqual(["sql", "web"]);
});

test("up naming an autostart: false machine brings it up", async () => {
  const result = await kvmLab(["up", "spare", "web"], { cwd: dir, env });
  expect(result.exitCode).toBe(0);
  expect(await upCalls()).toEqual(["web", "spare"]);
});

test("check without names covers the autostart machines: a spare left down is not a failure; named, it is checked", async () => {
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), {
    name: "order",
    box: "b",
    checks: { timeoutSeconds: 5 },
    machines: [{ name: "good" }, { name: "off", autostart: false }],
  });
  const down = { ...env, FAKE_VAGRANT: "down" };
  const unnamed = await kvmLab(["check", "--json"], { cwd: dir, env: down });
  expect(JSON.parse(unnamed.stdout).machines.map((m: { machine: string }) => m.machine)).toEqual(["good"]);
  expect(unnamed.exitCode).toBe(0);
  const named = await kvmLab(["check", "--json", "good", "off"], { cwd: dir, env: down });
  expect(named.exitCode).toBe(1);
  expect(JSON.parse(named.stdout).machines.find((m: { machine: string }) => m.machine === "off")).toMatchObject({ state: "shutoff", fix: "run kvm-lab up" });
});

test("up when every machine has autostart: false: a usage error naming them", async () => {
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), { name: "order", box: "b", machines: [{ name: "spare", autostart: false }] });
  const result = await kvmLab(["up"], { cwd: dir, env });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("every machine of lab order has autostart: false");
  expect(result.stderr).toContain("hint: name the machines to act on: spare");
});
