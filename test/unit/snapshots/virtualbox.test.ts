// The VirtualBox backend against the VBoxManage twin (test/support/vbox-twin): the calls
// Vagrant's driver makes, read back as VirtualBox prints them. Nothing boots: the VM stays
// powered off (its snapshots are disk snapshots there) and startvm is refused
// (KVMLAB_TWIN_STOP_AT=startvm), which shows restore's order: poweroff if running, restore, start.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { boxOvf } from "../../../src/boxes/formats.js";
import { checkConfig } from "../../../src/config/load.js";
import { LabNotUpError } from "../../../src/errors.js";
import { MachineStepError } from "../../../src/snapshots/backend.js";
import { saveLabSnapshot } from "../../../src/snapshots/lab.js";
import { virtualboxBackend } from "../../../src/snapshots/virtualbox.js";
import { tempDir, TWIN_BIN } from "../../support/tools.js";

let dir: string;
let uuid: string;
const saved = { PATH: process.env.PATH, home: process.env.KVMLAB_TWIN_HOME, stop: process.env.KVMLAB_TWIN_STOP_AT };

beforeAll(async () => {
  dir = await tempDir("kvmlab-twin-snap-");
  process.env.PATH = `${TWIN_BIN}:${process.env.PATH}`;
  process.env.KVMLAB_TWIN_HOME = path.join(dir, "home");
  process.env.KVMLAB_TWIN_STOP_AT = "startvm";
  await execa("qemu-img", ["create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized", path.join(dir, "probe-disk001.vmdk"), "16M"]);
  await fs.writeFile(path.join(dir, "box.ovf"), boxOvf({ name: "probe" } as Parameters<typeof boxOvf>[0], "probe-disk001.vmdk", 16 * 2 ** 20));
  await execa("VBoxManage", ["import", path.join(dir, "box.ovf"), "--vsys", "0", "--vmname", "snapvm"]);
  uuid = /"snapvm" \{(.+?)\}/.exec((await execa("VBoxManage", ["list", "vms"])).stdout)![1];
}, 60_000);

afterAll(async () => {
  await execa("node", [path.join(TWIN_BIN, "..", "cleanup.mjs"), path.join(dir, "home")], { reject: false });
  process.env.PATH = saved.PATH;
  for (const [key, value] of [["KVMLAB_TWIN_HOME", saved.home], ["KVMLAB_TWIN_STOP_AT", saved.stop]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await fs.remove(dir);
});

const lab = checkConfig({ name: "vb", box: "b", provider: "virtualbox", machines: [{ name: "node1" }] }).lab;
const node = () => ({ name: "node1", id: uuid });

test("state, take / list / replace / delete as Vagrant's driver calls them; an unknown VM is not created", async () => {
  const backend = virtualboxBackend(lab);
  expect(await backend.state(node())).toEqual({ state: "stopped", said: "poweroff" });
  expect(await backend.state({ name: "node1", id: "00000000-0000-0000-0000-000000000000" })).toEqual({ state: "not_created", said: "no such VM" });
  expect(await backend.list(node())).toEqual([]);
  await backend.save(node(), "one");
  await backend.save(node(), "two");
  await backend.save(node(), "one"); // replaced, as vagrant snapshot save --force does
  expect((await backend.list(node())).map((s) => s.name).sort()).toEqual(["one", "two"]);
  await backend.delete(node(), "two");
  expect(await backend.list(node())).toEqual([{ name: "one" }]);
  const calls = (await fs.readFile(path.join(dir, "home", "calls.log"), "utf8")).split("\n").filter((l) => l.startsWith("["));
  expect(calls.filter((l) => l.includes('"take"'))).toEqual([`["snapshot","${uuid}","take","one"]`, `["snapshot","${uuid}","take","two"]`, `["snapshot","${uuid}","take","one"]`]);
});

test("restore: the snapshot restored, then startvm headless (refused here), the failure in VBoxManage's words", async () => {
  const backend = virtualboxBackend(lab);
  const error = await backend.restore(node(), "one").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MachineStepError);
  expect((error as Error).message).toContain(`VBoxManage startvm ${uuid} --type headless: twin: stopped before booting 'snapvm'`);
  const missing = await backend.restore(node(), "nope").catch((e: unknown) => e);
  expect((missing as Error).message).toContain("Could not find a snapshot named 'nope'");
});

test("two VMs at once (the backend runs machines in parallel): each gets its own snapshots", async () => {
  await execa("VBoxManage", ["import", path.join(dir, "box.ovf"), "--vsys", "0", "--vmname", "snapvm2"]);
  const other = { name: "node2", id: /"snapvm2" \{(.+?)\}/.exec((await execa("VBoxManage", ["list", "vms"])).stdout)![1] };
  const backend = virtualboxBackend(lab);
  expect(backend.parallel).toBe(true);
  // One step at a time per VM (VirtualBox locks a VM's session for each), the VMs at once.
  await Promise.all([node(), other].map(async (m) => (await backend.save(m, "p1"), await backend.save(m, "p2"))));
  expect((await backend.list(node())).map((s) => s.name).sort()).toEqual(["one", "p1", "p2"]);
  expect((await backend.list(other)).map((s) => s.name).sort()).toEqual(["p1", "p2"]);
});

test("save of a powered-off VirtualBox lab: not up, named with VirtualBox's state", async () => {
  const at = path.join(dir, "lab");
  await fs.outputFile(path.join(at, ".vagrant", "machines", "node1", "virtualbox", "id"), uuid);
  const error = await saveLabSnapshot({ lab, dir: at, stateDir: path.join(at, ".kvm-lab"), backend: virtualboxBackend(lab) }, "x").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LabNotUpError);
  expect((error as LabNotUpError).problems).toEqual([{ path: "node1", message: "not running (poweroff)", fix: "run kvm-lab up" }]);
});
