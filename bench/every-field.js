// Issue 13's bound: rendering a 100-machine lab that uses every field of the config (counts,
// synced folders, disks, provisioning steps of every type, SSH, per-provider blocks with
// options and customize, NIC autoConfig/mtu/defaultRoute, /etc/hosts, plugins) must stay
// within 2x of `kvm-lab --help`. Both as a process (what a user waits for), medians.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkConfig } from "../dist/config/load.js";
import { renderVagrantfile } from "../dist/render/vagrantfile.js";
import { median, timeMs } from "./util.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "dist", "cli", "bin.js");

/** Steps of every type, the host files they name shipped beside the config. */
const provision = (role) => [
  `echo ${role} > /etc/role`,
  { type: "shell", name: `${role}-setup`, path: "scripts/setup.sh", args: [role, "--fast"], env: { ROLE: role }, privileged: true, run: "once" },
  { type: "file", name: `${role}-motd`, source: "files/motd", destination: "/tmp/motd" },
  { type: "reboot", name: `${role}-reboot` },
  {
    type: "ansible_local",
    name: `${role}-ansible-local`,
    playbook: "site.yml",
    provisioningPath: "/srv/ansible",
    install: true,
    extraVars: { role, replicas: 3, debug: false, tags: ["a", "b"], nested: { key: "value" } },
    groups: { [role]: [] },
    verbose: "v",
  },
  { type: "ansible", name: `${role}-ansible`, playbook: "ansible/site.yml", limit: "all", run: "always" },
];

/** A lab of 100 machines over four entries (two counted) that sets every field there is. */
export function labEveryField() {
  const libvirt = (model) => ({
    cpuMode: model ? "custom" : "host-passthrough",
    ...(model ? { cpuModel: model } : {}),
    // CPU features need a named model (vagrant-libvirt's cpu mode "custom").
    ...(model ? { cpuFeatures: [{ name: "vmx", policy: "require" }] } : {}),
    diskBus: "virtio",
    diskCache: "none",
    managementNicModel: "virtio",
    graphics: "none",
    keymap: "de",
    rng: true,
    options: { video_type: "virtio", machine_type: "q35" },
  });
  const virtualbox = (name) => ({
    ...(name ? { name } : {}),
    linkedClone: true,
    guestProperties: { "/lab/role": "node" },
    cpuProfile: "host",
    options: { gui: false, check_guest_additions: false },
    customize: [{ command: "modifyvm", args: ["--graphicscontroller", "vmsvga"] }],
  });
  const nics = (offset) => [
    { network: "mgmt", ip: `192.168.56.${offset}`, mtu: 1500 },
    { network: "tenant", ip: `10.20.0.${offset}`, mtu: 9000, nicType: "virtio", promisc: "allow-all" },
    { network: "storage", ip: `10.30.0.${offset}`, autoConfig: false },
    { network: "lan", defaultRoute: true },
  ];
  return {
    name: "every-field",
    box: "debian/bookworm64",
    boxUrl: "https://example.test/boxes/debian.json",
    defaults: {
      cpus: 2,
      memory: 1024,
      nested: true,
      boxVersion: ">= 12.0",
      boxCheckUpdate: false,
      bootTimeoutSeconds: 900,
      diskSizeGiB: 20,
      ssh: { username: "vagrant", insertKey: false, privateKeyPath: ["keys/lab"], forwardAgent: true },
      libvirt: { box: "generic/debian12", ...libvirt() },
      virtualbox: { box: "bento/debian-12", ...virtualbox() },
    },
    networks: {
      mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
      tenant: { mode: "intnet", cidr: "10.20.0.0/24" },
      storage: { mode: "intnet", cidr: "10.30.0.0/24" },
      lan: { mode: "bridged", bridge: "eth0" },
    },
    syncedFolder: false,
    syncedFolders: [
      { host: "ansible", guest: "/srv/ansible", type: "rsync", rsyncExclude: [".git/"], rsyncArgs: ["--archive", "--delete"] },
      { host: "shared", guest: "/srv/shared", create: true, owner: "vagrant", group: "vagrant", mountOptions: ["ro"] },
    ],
    vagrantPlugins: ["vagrant-libvirt", "vagrant-reload"],
    etcHosts: { network: "mgmt" },
    machines: [
      {
        name: "controller",
        hostname: "controller.lab.test",
        primary: true,
        cpus: 4,
        memory: 4096,
        nics: nics(10),
        forwards: [{ guest: 443, host: 8443, hostIp: "127.0.0.1", protocol: "tcp" }],
        disks: [{ name: "data", sizeGiB: 10, bus: "scsi" }],
        syncedFolders: [{ host: "nfs", guest: "/srv/nfs", type: "nfs", nfsVersion: 4, nfsUdp: false }],
        libvirt: libvirt("Skylake-Server"),
        virtualbox: virtualbox("controller-vm"),
        provision: provision("controller"),
      },
      {
        name: "spare",
        autostart: false,
        upAfter: ["controller"],
        nics: nics(11),
        syncedFolders: [{ host: "smb", guest: "/srv/smb", type: "smb", smbUsername: "lab" }, { host: "p9", guest: "/srv/9p", type: "9p", accessMode: "mapped", provider: "libvirt" }],
        provision: provision("spare"),
      },
      {
        name: "compute{n}",
        count: 90,
        hostname: "compute{n}.lab.test",
        upAfter: ["controller"],
        nics: nics(20),
        forwards: [{ guest: 22, host: 30000 }],
        disks: [{ sizeGiB: 8 }, { name: "scratch", sizeGiB: 4, bus: "sata" }],
        syncedFolders: [
          { host: "vfs", guest: "/srv/vfs", type: "virtiofs", provider: "libvirt" },
          { host: "vfs", guest: "/srv/vfs", type: "virtualbox", provider: "virtualbox" },
        ],
        provision: provision("compute"),
      },
      {
        name: "store{n}",
        count: 8,
        countFrom: 0,
        upAfter: ["compute{n}"],
        nics: nics(120),
        disks: [{ name: "osd", sizeGiB: 16 }],
        ssh: { username: "admin" },
        provision: provision("store"),
      },
    ],
  };
}

/** The lab as a JSON config in a folder of its own, with the files its steps name. */
function writeLab(dir) {
  fs.writeFileSync(path.join(dir, "kvm-lab.config.json"), JSON.stringify(labEveryField(), null, 2));
  for (const file of ["scripts/setup.sh", "files/motd", "ansible/site.yml", "keys/lab"]) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), "\n");
  }
  for (const folder of ["shared", "nfs", "smb", "p9", "vfs"]) fs.mkdirSync(path.join(dir, folder), { recursive: true });
}

export async function benchEveryField() {
  const config = labEveryField();
  const { lab, warnings } = checkConfig(config);
  console.log(`every field, ${lab.machines.length} machines (${warnings.length} warnings), median`);
  const check = timeMs(() => checkConfig(config), 20);
  let text = "";
  const render = timeMs(() => (text = renderVagrantfile(lab)), 20);
  console.log(`  in process: check ${check.median.toFixed(2)} ms, render ${render.median.toFixed(2)} ms (${(text.length / 1024).toFixed(0)} KiB, ${text.split("\n").length} lines)`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kvm-lab-bench-every-field-"));
  try {
    writeLab(dir);
    // Alternated run by run, so a busy moment of the host weighs on all three alike.
    const kinds = { help: ["--help"], libvirt: ["render", "--stdout", "--provider", "libvirt"], virtualbox: ["render", "--stdout", "--provider", "virtualbox"] };
    const samples = { help: [], libvirt: [], virtualbox: [] };
    for (let i = 0; i < 15; i++) {
      for (const [kind, args] of Object.entries(kinds)) {
        const start = process.hrtime.bigint();
        execFileSync("node", [BIN, ...args], { cwd: dir, stdio: "ignore" });
        samples[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    const med = (kind) => median(samples[kind]);
    const min = (kind) => Math.min(...samples[kind]);
    const ratio = Math.max(med("libvirt"), med("virtualbox")) / med("help");
    const ratioMin = Math.max(min("libvirt"), min("virtualbox")) / min("help");
    console.log(`  process: kvm-lab --help ${med("help").toFixed(0)} ms (min ${min("help").toFixed(0)})`);
    console.log(`  process: kvm-lab render --stdout: libvirt ${med("libvirt").toFixed(0)} ms (min ${min("libvirt").toFixed(0)}), virtualbox ${med("virtualbox").toFixed(0)} ms (min ${min("virtualbox").toFixed(0)})`);
    console.log(`  ratio render / --help: ${ratio.toFixed(2)}x of medians, ${ratioMin.toFixed(2)}x of fastest runs (issue 13 bound: 2x) ${ratio <= 2 ? "ok" : "OVER"}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
