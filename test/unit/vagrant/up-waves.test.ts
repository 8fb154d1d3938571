// upLab brings a lab up in waves (upAfter): one `vagrant up --parallel` per wave on
// libvirt, one machine per call in wave order on VirtualBox, and a failed wave stops the
// later ones. A fake vagrant logs the calls (fault injection: the real up boots VMs).
import path from "node:path";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import type { MachineConfig, Provider } from "../../../src/config/types.js";
import { labDirs, upLab, VagrantUpError } from "../../../src/vagrant/lab.js";
import { ROOT, tempDir } from "../../support/tools.js";

let dir: string;
let saved: string | undefined;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-waves-");
  saved = process.env.KVM_LAB_VAGRANT;
  process.env.KVM_LAB_VAGRANT = path.join(ROOT, "test", "support", "fakes", "vagrant");
});
afterEach(async () => {
  if (saved === undefined) delete process.env.KVM_LAB_VAGRANT;
  else process.env.KVM_LAB_VAGRANT = saved;
  await fs.remove(dir);
});

const MACHINES: MachineConfig[] = [
  { name: "network", upAfter: ["controller"] },
  { name: "controller" },
  { name: "compute{n}", count: 2, upAfter: ["controller", "network"] },
  { name: "spare", autostart: false },
];

async function upCalls(provider: Provider, machines: string[], mode = "up-ok"): Promise<{ calls: string[]; error?: unknown }> {
  const { lab } = checkConfig({ name: "waves", box: "b", provider, machines: MACHINES });
  const log = path.join(dir, "calls.log");
  const error = await upLab(lab, labDirs(dir), { machines, timeoutMs: 30_000, progress: () => undefined, env: { FAKE_LOG: log, FAKE_VAGRANT: mode } }).catch((e: unknown) => e);
  const calls = (await fs.readFile(log, "utf8")).trim().split("\n").filter((line) => line.startsWith("up "));
  return { calls, error };
}

test("libvirt: one parallel vagrant up per wave", async () => {
  const { calls, error } = await upCalls("libvirt", ["controller", "network", "compute1", "compute2"]);
  expect(error).toBeUndefined();
  expect(calls).toEqual([
    "up --machine-readable --provider=libvirt --parallel controller",
    "up --machine-readable --provider=libvirt --parallel network",
    "up --machine-readable --provider=libvirt --parallel compute1 compute2",
  ]);
  expect(await fs.readFile(path.join(dir, ".kvm-lab", "logs", "compute2.log"), "utf8")).toContain("Machine booted and ready!");
});

test("VirtualBox: one machine per call, in an order that respects upAfter", async () => {
  const { calls } = await upCalls("virtualbox", ["compute2", "compute1", "network", "controller"]);
  expect(calls.map((c) => c.split(" ").slice(3).join(" "))).toEqual(["--no-parallel controller", "--no-parallel network", "--no-parallel compute1", "--no-parallel compute2"]);
});

test("libvirt without upAfter: the one call it always was", async () => {
  const { calls } = await upCalls("libvirt", ["controller", "spare"]);
  expect(calls).toEqual(["up --machine-readable --provider=libvirt --parallel controller spare"]);
});

test("a failed wave stops the later ones, and the error says which were not started", async () => {
  const { lab } = checkConfig({ name: "waves", box: "b", provider: "libvirt", machines: [{ name: "good" }, { name: "broken" }, { name: "late", upAfter: ["broken"] }] });
  const log = path.join(dir, "calls.log");
  const error = await upLab(lab, labDirs(dir), { machines: ["good", "broken", "late"], timeoutMs: 30_000, progress: () => undefined, env: { FAKE_LOG: log, FAKE_VAGRANT: "up-fails-broken" } }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VagrantUpError);
  expect((error as VagrantUpError).machines).toEqual(["broken"]);
  expect((error as VagrantUpError).message).toContain("not started (they come up after the machines above): late");
  const calls = (await fs.readFile(log, "utf8")).split("\n").filter((line) => line.startsWith("up "));
  expect(calls).toEqual(["up --machine-readable --provider=libvirt --parallel good broken"]);
});
