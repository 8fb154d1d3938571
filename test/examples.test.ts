// The example labs (examples/<name>/): each loads without errors for both providers, the
// files it refers to ship beside it, it type-checks against defineLab, and its Vagrantfile
// for each provider is read by real Ruby and passes the real `vagrant validate` (in a copy
// of the folder, so Vagrant finds the scripts and synced folders). The rendered text is not
// pinned here: the golden tests do that.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { loadLab } from "../src/config/load.js";
import { PROVIDERS, type Lab } from "../src/config/types.js";
import { renderVagrantfile } from "../src/render/vagrantfile.js";
import { libvirtReachable, readWithRuby, ROOT, tempDir, vagrantValidate } from "./support/tools.js";

const EXAMPLES = path.join(ROOT, "examples");
const NEW = ["openstack-multinode", "proxmox-cluster", "kubevirt-pair"];
const libvirtUp = libvirtReachable();
if (!libvirtUp) process.stderr.write("examples: libvirtd not reachable, skipping `vagrant validate` of libvirt files\n");

test("every example folder has a config and a README", async () => {
  const folders = (await fs.readdir(EXAMPLES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  expect(folders).toEqual(expect.arrayContaining(["nested-lab", ...NEW]));
  for (const name of NEW) {
    expect(await fs.pathExists(path.join(EXAMPLES, name, "kvm-lab.config.ts"))).toBe(true);
    expect(await fs.pathExists(path.join(EXAMPLES, name, "README.md"))).toBe(true);
  }
});

/** The host-side files a lab refers to, relative to its folder: scripts, sources, synced folders, playbooks. */
function referencedFiles(lab: Lab): string[] {
  return lab.machines.flatMap((machine) => [
    ...machine.syncedFolders.filter((f) => !f.disabled).map((f) => f.host),
    ...machine.provision.flatMap((step) => {
      if (step.type === "shell") return step.script ? [step.script] : [];
      if (step.type === "file") return [step.source];
      if (step.type === "ansible") return [step.playbook];
      if (step.type === "ansible_local") {
        // Inside the guest: under the synced folder at provisioningPath (default /vagrant, the lab folder).
        const guest = step.provisioningPath ?? "/vagrant";
        const folder = machine.syncedFolders.find((f) => f.guest === guest);
        return [path.join(folder ? folder.host : ".", step.playbook)];
      }
      return [];
    }),
  ]);
}

describe.each(["nested-lab", ...NEW])("example %s", (name) => {
  const dir = path.join(EXAMPLES, name);

  test.each([...PROVIDERS])("%s: loads without errors, and every file it refers to ships in the folder", async (provider) => {
    const { lab } = await loadLab(dir, { provider });
    expect(lab.provider).toBe(provider);
    const files = referencedFiles(lab);
    for (const file of files) expect([file, await fs.pathExists(path.join(dir, file))]).toEqual([file, true]);
  });

  test.each([...PROVIDERS])("%s: the Vagrantfile parses in real Ruby and passes vagrant validate", async (provider) => {
    const { lab } = await loadLab(dir, { provider });
    const text = renderVagrantfile(lab);
    const copy = await tempDir(`kvm-lab-example-${name}-`);
    try {
      await fs.copy(dir, copy);
      const file = path.join(copy, "Vagrantfile");
      await fs.writeFile(file, text);
      const read = (await readWithRuby([file]))[file];
      expect(read.error).toBeUndefined();
      expect(read.ok).toBe(true);
    } finally {
      await fs.remove(copy);
    }
    if (provider === "libvirt" && !libvirtUp) return;
    const result = await vagrantValidate(text, provider, dir);
    expect(result.output).toContain("Vagrantfile validated successfully");
    expect(result.ok).toBe(true);
  }, 120_000);
});

test("the examples type-check against defineLab", async () => {
  const dir = await tempDir("kvm-lab-examples-tsc-");
  try {
    const tsconfig = {
      extends: path.join(ROOT, "tsconfig.json"),
      compilerOptions: { noEmit: true, rootDir: ROOT, baseUrl: ROOT, paths: { "kvm-lab": ["src/index.ts"] }, types: [], typeRoots: [path.join(ROOT, "node_modules", "@types")] },
      include: [],
      files: ["nested-lab", ...NEW].map((name) => path.join(EXAMPLES, name, "kvm-lab.config.ts")),
    };
    await fs.writeJson(path.join(dir, "tsconfig.json"), tsconfig);
    const result = await execa("node", [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { reject: false, all: true });
    expect(result.all).toBe("");
    expect(result.exitCode).toBe(0);
  } finally {
    await fs.remove(dir);
  }
}, 120_000);

test("examples whose Debian guests need the KVM stack boot kvm-lab/debian-13-kvm and install none of it; Proxmox VE 9 is on Debian 13", async () => {
  for (const provider of PROVIDERS) {
    const nested = (await loadLab(path.join(EXAMPLES, "nested-lab"), { provider })).lab;
    expect(nested.machines.map((m) => m.box)).toEqual(["kvm-lab/debian-13-kvm", "kvm-lab/debian-13-kvm"]);
    for (const machine of nested.machines) expect(JSON.stringify(machine.provision)).not.toMatch(/apt-get|qemu|libvirt-daemon/);
    // Proxmox VE 9 is built on Debian 13: public Debian 13 boxes (kvm-lab's boot one fixed kernel).
    const pve = (await loadLab(path.join(EXAMPLES, "proxmox-cluster"), { provider })).lab;
    expect(new Set(pve.machines.map((m) => m.box))).toEqual(new Set([provider === "libvirt" ? "debian/trixie64" : "bento/debian-13"]));
    expect(JSON.stringify(pve.machines[0].provision)).toContain("linux-image-6.12*");
  }
  const script = await fs.readFile(path.join(EXAMPLES, "proxmox-cluster", "scripts", "install-proxmox.sh"), "utf8");
  expect(script).toMatch(/^Suites: trixie$/m);
  expect(script).toContain("https://enterprise.proxmox.com/debian/proxmox-archive-keyring-trixie.gpg");
  expect(script).not.toMatch(/bookworm/);
  expect((await execa("sh", ["-n", path.join(EXAMPLES, "proxmox-cluster", "scripts", "install-proxmox.sh")], { reject: false })).exitCode).toBe(0);
  // The Ubuntu examples say why they stay on Ubuntu.
  for (const name of ["openstack-multinode", "kubevirt-pair"]) {
    expect(await fs.readFile(path.join(EXAMPLES, name, "kvm-lab.config.ts"), "utf8")).toMatch(/Ubuntu 22\.04, not (a )?kvm-lab/);
  }
});
