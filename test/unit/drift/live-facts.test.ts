// Live facts without libvirtd: the domain XML parser; VirtualBox live facts through the VBoxManage twin (test/support/vbox-twin): a VM imported
// from a tiny appliance, changed as a person would with VBoxManage (memory, vCPUs, an
// adapter on an internal network), read back as kvm-lab reads a lab's machines
// (`showvminfo --machinereadable`); nothing boots.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { boxOvf } from "../../../src/boxes/formats.js";
import { parseDomainXml, parseShowVmInfo, virtualboxFacts } from "../../../src/drift/live.js";
import { tempDir, TWIN_BIN } from "../../support/tools.js";

let dir: string;
const saved = { PATH: process.env.PATH, KVMLAB_TWIN_HOME: process.env.KVMLAB_TWIN_HOME };
beforeEach(async () => {
  dir = await tempDir("kvmlab-diff-twin-");
  // virtualboxFacts runs VBoxManage from PATH, as kvm-lab does.
  process.env.PATH = `${TWIN_BIN}:${saved.PATH}`;
  process.env.KVMLAB_TWIN_HOME = path.join(dir, "home");
});
afterEach(async () => {
  process.env.PATH = saved.PATH;
  if (saved.KVMLAB_TWIN_HOME === undefined) delete process.env.KVMLAB_TWIN_HOME;
  else process.env.KVMLAB_TWIN_HOME = saved.KVMLAB_TWIN_HOME;
  await fs.remove(dir);
});

const vbox = (...args: string[]) => execa("VBoxManage", args, { env: { PATH: process.env.PATH, KVMLAB_TWIN_HOME: process.env.KVMLAB_TWIN_HOME } });

test("an imported VM, then memory, vCPUs and an adapter changed by hand: each read back", async () => {
  await execa("qemu-img", ["create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized", path.join(dir, "probe-disk001.vmdk"), "16M"]);
  await fs.writeFile(path.join(dir, "box.ovf"), boxOvf({ name: "probe" } as Parameters<typeof boxOvf>[0], "probe-disk001.vmdk", 16 * 2 ** 20));
  await vbox("import", path.join(dir, "box.ovf"), "--vsys", "0", "--vmname", "kvmlab-diff-vm");
  const uuid = /\{([0-9a-f-]+)\}/.exec((await vbox("list", "vms")).stdout)![1];
  await vbox("modifyvm", uuid, "--memory", "1024", "--cpus", "2", "--nic1", "nat", "--macaddress1", "080027AABB01");
  const before = await virtualboxFacts(uuid);
  expect(before).toEqual({ id: uuid, state: "poweroff", memoryMiB: 1024, cpus: 2, nics: [{ type: "nat", mac: "08:00:27:aa:bb:01" }] });
  await vbox("modifyvm", uuid, "--memory", "2048", "--nic2", "intnet", "--intnet2", "tenant", "--macaddress2", "080027AABB02");
  expect(await virtualboxFacts(uuid)).toEqual({
    id: uuid,
    state: "poweroff",
    memoryMiB: 2048,
    cpus: 2,
    nics: [
      { type: "nat", mac: "08:00:27:aa:bb:01" },
      { type: "intnet", attachedTo: "tenant", mac: "08:00:27:aa:bb:02" },
    ],
  });
  // A VM VirtualBox does not know (unregistered outside Vagrant) is a machine not created.
  await vbox("unregistervm", uuid, "--delete");
  expect(await virtualboxFacts(uuid)).toEqual({ id: uuid, state: "not_created", nics: [] });
}, 60_000);

test("showvminfo's machine-readable text: quoted keys and values, adapters 1-8, `none` skipped", () => {
  const text = ['name="vm"', "memory=512", "cpus=1", 'VMState="running"', 'nic1="nat"', 'macaddress1="080027000001"', 'nic2="hostonly"', 'hostonlyadapter2="vboxnet0"', 'macaddress2="080027000002"', 'nic3="none"', '"natnet1"="nat"'].join("\n");
  expect(parseShowVmInfo(text)).toEqual({
    state: "running",
    memoryMiB: 512,
    cpus: 1,
    nics: [
      { type: "nat", mac: "08:00:27:00:00:01" },
      { type: "hostonly", attachedTo: "vboxnet0", mac: "08:00:27:00:00:02" },
    ],
  });
});

test("libvirt's domain XML: memory in any unit, vCPUs, interfaces of every source kind in order", () => {
  const xml = `<domain type='kvm' id='3'>
  <name>lab_node1</name>
  <memory unit='GiB'>2</memory>
  <currentMemory unit='KiB'>1048576</currentMemory>
  <vcpu placement='static' current='1'>2</vcpu>
  <devices>
    <interface type='network'>
      <mac address='52:54:00:AA:00:01'/>
      <source network='vagrant-libvirt' portid='x' bridge='virbr1'/>
      <model type='virtio'/>
    </interface>
    <interface type="bridge"><mac address="52:54:00:aa:00:02"/><source bridge="br0"/></interface>
    <interface type='direct'><mac address='52:54:00:aa:00:03'/><source dev='eth0' mode='bridge'/></interface>
    <interface type='udp'><source address='127.0.0.1' port='5000'><local address='127.0.0.1' port='5001'/></source></interface>
  </devices>
</domain>`;
  expect(parseDomainXml(xml)).toEqual({
    memoryMiB: 2048,
    cpus: 2,
    nics: [
      { type: "network", mac: "52:54:00:aa:00:01", attachedTo: "vagrant-libvirt" },
      { type: "bridge", mac: "52:54:00:aa:00:02", attachedTo: "br0" },
      { type: "direct", mac: "52:54:00:aa:00:03", attachedTo: "eth0" },
      { type: "udp", attachedTo: "address='127.0.0.1' port='5000'" },
    ],
  });
  expect(parseDomainXml("<domain><memory>524288</memory><vcpu>1</vcpu></domain>")).toEqual({ memoryMiB: 512, cpus: 1, nics: [] });
});
