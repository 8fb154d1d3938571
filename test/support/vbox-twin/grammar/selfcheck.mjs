#!/usr/bin/env node
// Quick self-check of the VBoxManage grammar: `node selfcheck.mjs`.
import assert from "node:assert/strict";
import { parseCommand } from "./index.mjs";

const ALLV = ["6.1", "7.0", "7.1"];
const ALLH = ["linux", "darwin", "windows"];
let n = 0;
const targets = (versions = ALLV, hosts = ALLH) => versions.flatMap((version) => hosts.map((host) => ({ version, host })));
function ok(argv, versions, hosts, check) {
  for (const t of targets(versions, hosts)) {
    const r = parseCommand(argv, t);
    assert.equal(r.ok, true, `${t.version}/${t.host} ${argv.join(" ")} should be accepted: ${JSON.stringify(r)}`);
    if (check) check(r, t);
    n++;
  }
}
function bad(argv, versions, hosts, { exitCode, stderr } = {}) {
  for (const t of targets(versions, hosts)) {
    const r = parseCommand(argv, t);
    assert.equal(r.ok, false, `${t.version}/${t.host} ${argv.join(" ")} should be rejected: ${JSON.stringify(r)}`);
    if (exitCode !== undefined) assert.equal(r.exitCode, exitCode, `${t.version}/${t.host} ${argv.join(" ")}: exit ${r.exitCode}`);
    if (stderr !== undefined) {
      const want = typeof stderr === "function" ? stderr(t) : stderr;
      assert.equal(r.stderr, want, `${t.version}/${t.host} ${argv.join(" ")}`);
    }
    n++;
  }
}
const P = (t) => (t.host === "windows" ? "VBoxManage.exe" : "VBoxManage");
const V7 = ["7.0", "7.1"];

// --- modifyvm ---------------------------------------------------------------
ok(["modifyvm", "X", "--nested-hw-virt", "on"], ALLV, ALLH, (r) => assert.deepEqual(r.options[0], { name: "--nested-hw-virt", given: "--nested-hw-virt", value: "on", symbol: "MODIFYVM_NESTED_HW_VIRT" }));
bad(["modifyvm", "X", "--nestedhwvirt", "on"], ALLV, ALLH, { exitCode: 1, stderr: (t) => `${P(t)}: error: Unknown option: --nestedhwvirt\n` });
bad(["modifyvm", "X", "--nat-localhostreachable1", "on"], ["6.1"], ALLH, { exitCode: 1, stderr: (t) => `${P(t)}: error: Unknown option: --nat-localhostreachable1\n` });
ok(["modifyvm", "X", "--nat-localhostreachable1", "on"], V7, ALLH, (r) => assert.equal(r.options[0].index, 1));
ok(["modifyvm", "X", "--natlocalhostreachable1", "on"], V7, ALLH, (r) => assert.equal(r.options[0].name, "--nat-localhostreachable"));
ok(["modifyvm", "X", "--nic3", "hostonlynet"], V7, ["darwin"]);
bad(["modifyvm", "X", "--nic3", "hostonlynet"], V7, ["linux", "windows"], { exitCode: 1, stderr: (t) => `${P(t)}: error: Invalid type 'hostonlynet' specfied for NIC 3\n` });
bad(["modifyvm", "X", "--nic3", "hostonlynet"], ["6.1"], ALLH, { exitCode: 1 });
ok(["modifyvm", "X", "--hostonlynet3", "vagrantnet1"], V7, ["darwin"], (r) => assert.equal(r.options[0].name, "--host-only-net"));
bad(["modifyvm", "X", "--hostonlynet3", "vagrantnet1"], ALLV, ["linux", "windows"], { exitCode: 1 });
ok(["modifyvm", "X", "--nicpromisc2", "allow-vms"]);
ok(["modifyvm", "X", "--nicpromisc2", "Allow-All"]);
bad(["modifyvm", "X", "--nicpromisc2", "allow"], ALLV, ALLH, { exitCode: 1, stderr: (t) => `${P(t)}: error: Unknown promiscuous mode policy 'allow'\n` });
bad(["modifyvm", "X", "--nictype2", "foo"], ALLV, ALLH, { exitCode: 1, stderr: (t) => `${P(t)}: error: Invalid NIC type 'foo' specified for NIC 2\n` });
ok(["modifyvm", "X", "--nictype2", "virtio"]);
ok(["modifyvm", "X", "--nictype2", "NE2000"], V7);
bad(["modifyvm", "X", "--nictype2", "NE2000"], ["6.1"]);
ok(["modifyvm", "X", "--natpf1", "ssh,tcp,127.0.0.1,2222,,22"], ALLV, ALLH, (r) => assert.equal(r.options[0].value, "ssh,tcp,127.0.0.1,2222,,22"));
ok(["modifyvm", "X", "--natpf1", "delete", "ssh"], ALLV, ALLH, (r) => assert.deepEqual(r.options[0].values, ["delete", "ssh"]));
bad(["modifyvm", "X", "--natpf1", "delete"], ALLV, ["linux"], { exitCode: 2 });
bad(["modifyvm", "X", "--natpf1", "ssh,tcp,2222"], ["6.1"], ["linux"], { exitCode: 2, stderr: "\nSyntax error: Missing or Invalid argument to '--natpf'\n" });
bad(["modifyvm", "X", "--natpf1", "ssh,tcp,2222"], V7, ["linux"], { exitCode: 2, stderr: "VBoxManage: error: Missing or invalid argument to '--natpf'\n" });
bad(["modifyvm", "X", "--natpf1", "ssh,sctp,,2222,,22"], ALLV, ["linux"], { exitCode: 1, stderr: "VBoxManage: error: Invalid proto 'ssh,sctp,,2222,,22' specfied for NIC 1\n" });
ok(["modifyvm", "X", "--macaddress2", "080027000002"]);
bad(["modifyvm", "X", "--macaddress2", "090027000002"], ALLV, ["linux"], { exitCode: 1, stderr: "VBoxManage: error: Invalid MAC address format\n" });
ok(["modifyvm", "X", "--cableconnected2", "off"]);
bad(["modifyvm", "X", "--cableconnected2", "no"], ALLV, ["linux"], { exitCode: 1, stderr: "VBoxManage: error: Unknown option: no\n" });
bad(["modifyvm", "X", "--frobnicate"], ALLV, ALLH, { exitCode: 1, stderr: (t) => `${P(t)}: error: Unknown option: --frobnicate\n` });
// --nic9 on the default (PIIX3, 8 NICs) chipset: error printed, option skipped, exit status unaffected
ok(["modifyvm", "X", "--nic9", "nat"], ALLV, ALLH, (r, t) => { assert.equal(r.stderr, `${P(t)}: error: Invalid NIC number 9\n`); assert.equal(r.options[0].ignored, true); });
bad(["modifyvm", "X", "--nic", "nat"], ALLV, ["linux"], { exitCode: 1, stderr: "VBoxManage: error: --nic: RTGetOpt: Command line option needs an index.\n" });
bad(["modifyvm", "X", "--memory"], ALLV, ["linux"], { exitCode: 1, stderr: "VBoxManage: error: --memory: RTGetOpt: Command line option needs argument.\n" });
bad(["modifyvm", "X"], ALLV, ["linux"], { exitCode: 2 });
bad(["modifyvm"], ALLV, ["linux"], { exitCode: 1, stderr: "" });
ok(["modifyvm", "X", "--natnet1", "default"]);
ok(["modifyvm", "X", "--natnet1", "10.0.3.0/24"]);
ok(["modifyvm", "X", "--natdnshostresolver1", "on"]);
ok(["modifyvm", "X", "--nictrace1", "on", "--nictracefile1", "/tmp/x.pcap"]);
ok(["modifyvm", "X", "--nicproperty2", "network=foo"]);
bad(["modifyvm", "X", "--nicproperty2", "network"], ALLV, ["linux"], { exitCode: 1, stderr: "VBoxManage: error: Invalid --nicproperty2 argument 'network'\n" });
ok(["modifyvm", "X", "--nicgenericdrv2", "UDPTunnel", "--intnet3", "lab", "--bridgeadapter4", "eth0", "--natnetwork5", "nn"]);
ok(["modifyvm", "X", "--cpus", "2", "--memory", "2048", "--ioapic", "on", "--hwvirtex", "on", "--nestedpaging", "on", "--vtxux", "on", "--vtxvpid", "on", "--largepages", "on", "--paravirtprovider", "kvm"]);
ok(["modifyvm", "X", "--name", "n", "--groups", "/lab", "--graphicscontroller", "vmsvga", "--vram", "16", "--uart1", "off", "--usb", "off", "--boot1", "disk", "--firmware", "efi", "--chipset", "ich9", "--cpu-profile", "host"]);
ok(["modifyvm", "X", "--audio", "none"], ["6.1"]);
ok(["modifyvm", "X", "--audio-driver", "none"], V7);
bad(["modifyvm", "X", "--audio-driver", "none"], ["6.1"]);
bad(["modifyvm", "X", "--firmware", "uefi"], ALLV, ["linux"], { exitCode: 1, stderr: "VBoxManage: error: Invalid --firmware argument 'uefi'\n" });
bad(["modifyvm", "X", "--boot1", "usb"], ALLV, ["linux"], { exitCode: 2, stderr: "VBoxManage: error: Invalid boot device 'usb'\n" });
bad(["modifyvm", "X", "stray"], ALLV, ["linux"], { exitCode: 1, stderr: "VBoxManage: error: Invalid parameter 'stray'\n" });
ok(["modifyvm", "X", "--nic12", "nat"], ALLV, ["linux"], (r) => assert.equal(r.options[0].ignored, true));
assert.equal(parseCommand(["modifyvm", "X", "--nic12", "nat"], { version: "7.1", host: "linux", chipset: "ich9" }).stderr, undefined);
ok(["modifyvm", "X", "--x86-nested-hw-virt", "on"], ["7.1"]);
bad(["modifyvm", "X", "--x86-nested-hw-virt", "on"], ["6.1", "7.0"]);
ok(["modifyvm", "X", "--lpt1", "0x378", "7"], ALLV, ["linux", "windows"]);
bad(["modifyvm", "X", "--lpt1", "0x378", "7"], ALLV, ["darwin"]);

// --- natnetwork ---------------------------------------------------------------
ok(["natnetwork", "add", "--netname", "n", "--network", "10.0.5.0/24", "--enable", "--dhcp", "on"], ALLV, ALLH, (r) => assert.equal(r.subcommand, "add"));
ok(["natnetwork", "modify", "--netname", "n", "--port-forward-4", "ssh:tcp:[]:1022:[10.0.5.4]:22"]);
ok(["natnetwork", "modify", "--netname", "n", "--port-forward-4", "delete", "ssh"], ALLV, ALLH, (r) => assert.deepEqual(r.options[1].values, ["delete", "ssh"]));
ok(["natnetwork", "remove", "--netname", "n"]);
ok(["natnetwork", "start", "--netname", "n"]);
ok(["natnetwork", "list"]);
bad(["natnetwork", "add", "--netname", "n"], ALLV, ["linux"], { exitCode: 2 });
bad(["natnetwork", "add", "--network", "10.0.5.0/24", "--enable"], V7, ["linux"], { exitCode: 2, stderr: "VBoxManage: error: You need to specify the --netname option\n" });
bad(["natnetwork", "frob", "--netname", "n"], ["6.1"], ["linux"], { exitCode: 2, stderr: "\nSyntax error: Invalid parameter 'frob'\n" });
bad(["natnetwork", "remove", "--netname", "n", "--enable"], ALLV, ["linux"], { exitCode: 2, stderr: "VBoxManage: error: Unknown option: --enable\n" });

// --- hostonlyif / hostonlynet -------------------------------------------------
ok(["hostonlyif", "ipconfig", "vboxnet0", "--ip", "192.168.56.1", "--netmask", "255.255.255.0"], ALLV, ALLH, (r) => assert.equal(r.target, "vboxnet0"));
ok(["hostonlyif", "ipconfig", "vboxnet0", "--ipv6", "fd00::1", "--netmasklengthv6", "64"]);
ok(["hostonlyif", "create"]);
ok(["hostonlyif", "remove", "vboxnet0"]);
bad(["hostonlyif", "ipconfig", "vboxnet0", "--dhcp", "--ip", "1.2.3.4"], V7, ["linux"], { exitCode: 2 });
ok(["hostonlynet", "add", "--name", "vagrantnet1", "--netmask", "255.255.255.0", "--lower-ip", "192.168.56.2", "--upper-ip", "192.168.56.254"], V7, ["darwin"]);
ok(["hostonlynet", "remove", "--name", "vagrantnet1"], V7, ["darwin"]);
bad(["hostonlynet", "add", "--name", "n"], V7, ["linux", "windows"], { exitCode: 2, stderr: (t) => `${P(t)}: error: Invalid command 'hostonlynet'\n` });
bad(["hostonlynet", "add", "--name", "n"], ["6.1"], ALLH, { exitCode: 2, stderr: "\nSyntax error: Invalid command 'hostonlynet'\n" });
bad(["hostonlynet", "add", "--name", "n"], V7, ["darwin"], { exitCode: 2, stderr: "VBoxManage: error: The --netmask parameter must be specified\n" });

// --- dhcpserver ----------------------------------------------------------------
ok(["dhcpserver", "add", "--ifname", "vboxnet0", "--ip", "192.168.56.2", "--netmask", "255.255.255.0", "--lowerip", "192.168.56.3", "--upperip", "192.168.56.254", "--enable"], ALLV, ALLH,
  (r) => assert.deepEqual(r.options.map((o) => o.name), ["--interface", "--server-ip", "--netmask", "--lower-ip", "--upper-ip", "--enable"]));
ok(["dhcpserver", "add", "--network", "nn", "--server-ip", "10.0.0.1", "--netmask", "255.0.0.0", "--lower-ip", "10.0.0.2", "--upper-ip", "10.0.0.9", "--disable"]);
ok(["dhcpserver", "remove", "--ifname", "vboxnet0"]);
ok(["dhcpserver", "remove", "--netname", "HostInterfaceNetworking-vboxnet0"]);
bad(["dhcpserver", "add", "--ifname", "vboxnet0", "--netname", "x"], ALLV, ["linux"], { exitCode: 2, stderr: "VBoxManage: error: Either --network or --interface, not both\n" });
bad(["dhcpserver", "stop", "--ifname", "vboxnet0"], ["6.1"], ["linux"], { exitCode: 2, stderr: "VBoxManage: error: Unknown subcommand: stop\n" });
ok(["dhcpserver", "stop", "--ifname", "vboxnet0"], V7);

// --- list ------------------------------------------------------------------------
for (const s of ["vms", "runningvms", "ostypes", "hostdvds", "hostfloppies", "intnets", "bridgedifs", "hostonlyifs", "natnets", "natnetworks", "dhcpservers",
  "hostinfo", "hostcpuids", "hddbackends", "hdds", "dvds", "floppies", "usbhost", "usbfilters", "systemproperties", "extpacks", "groups", "webcams",
  "screenshotformats", "cloudproviders", "cloudprofiles"]) ok(["list", s]);
ok(["list", "hostonlynets"], V7, ["darwin"]);
bad(["list", "hostonlynets"], V7, ["linux", "windows"], { exitCode: 2, stderr: (t) => `${P(t)}: error: Unknown subcommand "hostonlynets".\n` });
bad(["list", "hostonlynets"], ["6.1"], ["darwin"], { exitCode: 2, stderr: '\nSyntax error: Unknown subcommand "hostonlynets".\n' });
ok(["list", "cpu-profiles"], V7);
bad(["list", "cpu-profiles"], ["6.1"]);
ok(["list", "--long", "vms"]);
ok(["list", "-l", "--sorted", "vms"], ALLV, ALLH, (r) => assert.deepEqual(r.options.map((o) => o.name), ["--long", "--sorted"]));
bad(["list"], ALLV, ["linux"], { exitCode: 1, stderr: "" });

// --- lifecycle -------------------------------------------------------------------
ok(["showvminfo", "X", "--machinereadable"]);
ok(["showvminfo", "X", "--details"]);
ok(["showvminfo", "X", "--log", "0"]);
ok(["import", "box.ovf", "--dry-run"]);
ok(["import", "-n", "box.ovf"]);
ok(["import", "box.ovf", "--vsys", "0", "--vmname", "n", "--cpus", "2", "--memory", "1024", "--unit", "10", "--disk", "/tmp/d.vmdk", "--ignore"]);
ok(["import", "box.ovf", "--options", "keepallmacs"]);
ok(["startvm", "X", "--type", "headless"]);
ok(["startvm", "X", "Y", "--type", "gui"]);
bad(["startvm", "X", "--frob"], V7, ["linux"], { exitCode: 2, stderr: "VBoxManage: error: unknown option: --frob\n" });
for (const s of ["poweroff", "acpipowerbutton", "savestate", "pause", "resume", "reset"]) ok(["controlvm", "X", s]);
ok(["controlvm", "X", "setlinkstate1", "on"]);
ok(["controlvm", "X", "nic2", "hostonly", "vboxnet0"]);
ok(["controlvm", "X", "natpf1", "ssh,tcp,,2222,,22"]);
ok(["controlvm", "X", "shutdown"], V7);
bad(["controlvm", "X", "shutdown"], ["6.1"]);
ok(["unregistervm", "X", "--delete"]);
ok(["unregistervm", "X", "--delete-all"], V7);
ok(["snapshot", "X", "take", "NAME", "--live"], ALLV, ALLH, (r) => { assert.equal(r.subcommand, "take"); assert.deepEqual(r.positional, ["NAME"]); });
ok(["snapshot", "X", "delete", "NAME"]);
ok(["snapshot", "X", "restore", "NAME"]);
ok(["snapshot", "X", "restorecurrent"]);
ok(["snapshot", "X", "list", "--machinereadable"]);
ok(["snapshot", "X", "list", "--details"]);
bad(["snapshot", "X", "take"], ALLV, ["linux"], { exitCode: 2, stderr: "VBoxManage: error: Missing snapshot name\n" });
ok(["guestproperty", "get", "X", "/VirtualBox/GuestAdd/Version"]);
ok(["guestproperty", "enumerate", "X"]);
ok(["setextradata", "X", "VBoxInternal2/SharedFoldersEnableSymlinksCreate/v", "1"]);
ok(["setextradata", "X", "VBoxInternal2/SharedFoldersEnableSymlinksCreate/v"]);
ok(["getextradata", "X", "enumerate"]);
ok(["discardstate", "X"]);
ok(["storagectl", "X", "--name", "SATA", "--add", "sata"]);
ok(["storageattach", "X", "--storagectl", "SATA", "--port", "1", "--device", "0", "--type", "hdd", "--medium", "/tmp/d.vdi", "--comment", "managed by Vagrant"]);
ok(["sharedfolder", "add", "X", "--name", "vagrant", "--hostpath", "/src", "--transient", "--automount"]);
ok(["sharedfolder", "add", "X", "--name", "vagrant", "--hostpath", "/src", "--auto-mount-point", "/vagrant"]);
ok(["sharedfolder", "remove", "X", "--name", "vagrant", "--transient"]);
ok(["closemedium", "disk-uuid", "--delete"]);
ok(["clonevm", "base", "--register", "--name", "n", "--snapshot", "s", "--options", "link"]);
ok(["createmedium", "--filename", "/tmp/d.vdi", "--sizebyte", "1024", "--format", "VDI"]);
ok(["createhd", "--filename", "/tmp/d.vdi", "--size", "1024"]);
ok(["showmediuminfo", "disk", "/tmp/d.vdi"]);
ok(["--version"]);
ok(["-v"]);
ok(["-q", "list", "vms"]);
ok(["--nologo", "showvminfo", "X"]);
bad(["frobnicate"], V7, ["linux"], { exitCode: 2, stderr: "VBoxManage: error: Invalid command 'frobnicate'\n" });

// --- the lines Vagrant 2.3.4's VirtualBox driver emits (driver/version_5_0.rb .. version_7_0.rb) ---
const VAGRANT = [
  ["modifyvm", "U", "--natpf1", "delete", "ssh"],
  ["modifyvm", "U", "--natpf1", "ssh,tcp,127.0.0.1,2222,,22"],
  ["modifyvm", "U", "--nic2", "hostonly", "--hostonlyadapter2", "vboxnet0", "--cableconnected2", "on", "--macaddress2", "080027AABBCC", "--nictype2", "82540EM"],
  ["modifyvm", "U", "--nic3", "bridged", "--bridgeadapter3", "en0: Wi-Fi", "--cableconnected3", "on"],
  ["modifyvm", "U", "--nic4", "intnet", "--intnet4", "lab", "--cableconnected4", "on"],
  ["modifyvm", "U", "--cableconnected1", "on"],
  ["modifyvm", "U", "--macaddress1", "080027000001"],
  ["modifyvm", "U", "--name", "box_default_1700000000000_1234"],
  ["hostonlyif", "create"],
  ["hostonlyif", "ipconfig", "vboxnet0", "--ip", "192.168.56.1", "--netmask", "255.255.255.0"],
  ["hostonlyif", "ipconfig", "vboxnet0", "--ipv6", "fde4:8dba:82e1::1", "--netmasklengthv6", "64"],
  ["hostonlyif", "remove", "vboxnet0"],
  ["dhcpserver", "add", "--ifname", "vboxnet0", "--ip", "192.168.56.2", "--netmask", "255.255.255.0", "--lowerip", "192.168.56.3", "--upperip", "192.168.56.254", "--enable"],
  ["dhcpserver", "remove", "--ifname", "vboxnet0"],
  ["dhcpserver", "remove", "--netname", "HostInterfaceNetworking-vboxnet0"],
  ["import", "-n", "box.ovf"],
  ["import", "box.ovf", "--vsys", "0", "--vmname", "n", "--vsys", "0", "--unit", "11", "--disk", "/vms/n/disk.vmdk"],
  ["import", "box.ovf", "--dry-run"],
  ["showvminfo", "U", "--machinereadable"],
  ["showvminfo", "U"],
  ["snapshot", "U", "take", "NAME"],
  ["snapshot", "U", "take", "NAME", "--live"],
  ["snapshot", "U", "delete", "NAME"],
  ["snapshot", "U", "restore", "NAME"],
  ["snapshot", "U", "list", "--machinereadable"],
  ["startvm", "U", "--type", "headless"],
  ["controlvm", "U", "poweroff"], ["controlvm", "U", "savestate"], ["controlvm", "U", "resume"],
  ["unregistervm", "U", "--delete"],
  ["discardstate", "U"],
  ["sharedfolder", "add", "U", "--name", "vagrant", "--hostpath", "/src", "--transient", "--automount"],
  ["sharedfolder", "remove", "U", "--name", "vagrant", "--transient"],
  ["setextradata", "U", "VBoxInternal2/SharedFoldersEnableSymlinksCreate/vagrant", "1"],
  ["setextradata", "U", "VBoxInternal2/SharedFoldersEnableSymlinksCreate/vagrant"],
  ["guestproperty", "get", "U", "/VirtualBox/GuestAdd/Version"],
  ["list", "vms"], ["list", "hostonlyifs"], ["list", "bridgedifs"], ["list", "dhcpservers"], ["list", "systemproperties"], ["list", "hdds"],
  ["storageattach", "U", "--storagectl", "SATA Controller", "--port", "1", "--device", "0", "--type", "hdd", "--medium", "/d.vdi", "--comment", "c"],
  ["clonemedium", "a.vmdk", "b.vdi", "--format", "VDI"],
  ["clonevm", "M", "--register", "--name", "n", "--snapshot", "s", "--options", "link"],
  ["closemedium", "uuid", "--delete"],
  ["createmedium", "--filename", "/d.vdi", "--sizebyte", "1073741824", "--format", "VDI"],
  ["modifymedium", "/d.vdi", "--resizebyte", "1073741824"],
  ["showmediuminfo", "disk", "uuid"],
  ["export", "U", "--output", "/tmp/box.ovf"],
];
for (const argv of VAGRANT) ok(argv);
// version_7_0.rb on macOS (use_host_only_nets?): hostonlynet
for (const argv of [["hostonlynet", "add", "--name", "vagrantnet-vbox1", "--netmask", "255.255.255.0", "--lower-ip", "192.168.56.1", "--upper-ip", "192.168.56.254"],
  ["hostonlynet", "remove", "--name", "vagrantnet-vbox1"], ["list", "hostonlynets"],
  ["modifyvm", "U", "--nic2", "hostonlynet", "--host-only-net2", "vagrantnet-vbox1", "--cableconnected2", "on"]]) ok(argv, ["7.0"], ["darwin"]);

// --- lines kvm-lab renders (src/render/virtualbox.ts) -------------------------------
for (const argv of [["modifyvm", "U", "--ioapic", "on"], ["modifyvm", "U", "--hwvirtex", "on"], ["modifyvm", "U", "--nestedpaging", "on"],
  ["modifyvm", "U", "--vtxux", "on"], ["modifyvm", "U", "--nested-hw-virt", "off"], ["modifyvm", "U", "--paravirtprovider", "kvm"],
  ["modifyvm", "U", "--nic3", "natnetwork", "--natnetwork3", "labnat"], ["modifyvm", "U", "--nic4", "nat", "--natnet4", "10.0.9.0/24"],
  ["modifyvm", "U", "--nic5", "null"], ["modifyvm", "U", "--nic6", "generic", "--nicgenericdrv6", "UDPTunnel"], ["modifyvm", "U", "--nicproperty6", "dest=10.0.0.1"],
  ["modifyvm", "U", "--nicpromisc2", "allow-all"], ["modifyvm", "U", "--cableconnected2", "off"]]) ok(argv);

console.log(`selfcheck: ${n} assertions passed`);
