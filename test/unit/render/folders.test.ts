// What a machine shares and how it is reached, rendered for both providers: synced folders
// in Vagrant's and vagrant-libvirt's spellings, the shared memory virtiofs needs, define
// options, box_version, node.ssh.* and config.vagrant.plugins. Hostile strings are read
// back exactly by real Ruby.
import path from "node:path";
import fs from "fs-extra";
import type { LabConfig, Provider, SyncedFolderConfig } from "../../../src/config/types.js";
import { checkConfig } from "../../../src/config/load.js";
import { normalizeLab } from "../../../src/config/normalize.js";
import { renderVagrantfile } from "../../../src/render/vagrantfile.js";
import { libvirtReachable, readWithRuby, render, tempDir, vagrantValidate } from "../../support/tools.js";

function lab(extra: Partial<LabConfig> = {}, machine: Record<string, unknown> = {}): LabConfig {
  return { name: "lab", box: "debian/bookworm64", machines: [{ name: "web", ...machine }], ...extra } as LabConfig;
}

/** The lines of the rendered file that start with `prefix` (indentation ignored), continuation lines joined. */
function lines(text: string, prefix: string): string[] {
  const joined = text.replace(/,\n\s+/g, ", ");
  return joined.split("\n").map((l) => l.trim()).filter((l) => l.startsWith(prefix));
}

const folder = (f: SyncedFolderConfig, provider: Provider = "virtualbox"): string[] =>
  lines(render(lab({ provider }, { syncedFolders: [f] })), "node.vm.synced_folder");

describe("synced folder lines", () => {
  test("nfs: mount_options, nfs_version, nfs_udp; options of other types are left out", () => {
    expect(folder({ host: ".", guest: "/data", type: "nfs", nfsVersion: 3, nfsUdp: false, mountOptions: ["nolock"], rsyncExclude: [".git/"], owner: "x" })).toEqual([
      'node.vm.synced_folder ".", "/data", type: "nfs", mount_options: ["nolock"], nfs_version: 3, nfs_udp: false',
    ]);
  });

  test("rsync: rsync__exclude and rsync__args, owner and group", () => {
    expect(folder({ host: "src", guest: "/src", type: "rsync", create: true, owner: "app", group: "app", rsyncExclude: [".git/"], rsyncArgs: ["-a"] })).toEqual([
      'node.vm.synced_folder "src", "/src", type: "rsync", create: true, owner: "app", group: "app", rsync__exclude: [".git/"], rsync__args: ["-a"]',
    ]);
  });

  test("smb: smb_username", () => {
    expect(folder({ host: ".", guest: "/data", type: "smb", smbUsername: "me", mountOptions: ["vers=3.0"] })).toEqual([
      'node.vm.synced_folder ".", "/data", type: "smb", mount_options: ["vers=3.0"], smb_username: "me"',
    ]);
  });

  test("virtualbox without a type: owner, group, mount_options; disabled", () => {
    expect(folder({ host: ".", guest: "/data", owner: "a", group: "b", mountOptions: ["dmode=775"], disabled: true })).toEqual([
      'node.vm.synced_folder ".", "/data", disabled: true, owner: "a", group: "b", mount_options: ["dmode=775"]',
    ]);
  });

  test("9p on libvirt: accessmode and mount_opts as one string", () => {
    expect(folder({ host: ".", guest: "/data", type: "9p", accessMode: "mapped", mountOptions: ["cache=loose", "msize=262144"] }, "libvirt")).toEqual([
      'node.vm.synced_folder ".", "/data", type: "9p", mount_opts: "cache=loose,msize=262144", accessmode: "mapped"',
    ]);
  });

  test("virtiofs on libvirt brings the shared memory backing; a disabled one does not", () => {
    const text = render(lab({ provider: "libvirt" }, { syncedFolders: [{ host: ".", guest: "/data", type: "virtiofs" }] }));
    expect(lines(text, "libvirt.memorybacking")).toEqual(['libvirt.memorybacking :source, type: "memfd"', 'libvirt.memorybacking :access, mode: "shared"']);
    const off = render(lab({ provider: "libvirt" }, { syncedFolders: [{ host: ".", guest: "/data", type: "virtiofs", disabled: true }] }));
    expect(lines(off, "libvirt.memorybacking")).toEqual([]);
    expect(lines(render(lab({ provider: "libvirt" })), "libvirt.memorybacking")).toEqual([]);
  });

  test("lab folders come first on every machine, then the machine's own", () => {
    const text = render({
      ...lab({ syncedFolders: [{ host: ".", guest: "/lab" }] }, { syncedFolders: [{ host: ".", guest: "/own" }] }),
      machines: [{ name: "web", syncedFolders: [{ host: ".", guest: "/own" }] }, { name: "node2" }],
    } as LabConfig);
    expect(lines(text, "node.vm.synced_folder")).toEqual([
      'node.vm.synced_folder ".", "/lab"',
      'node.vm.synced_folder ".", "/own"',
      'node.vm.synced_folder ".", "/lab"',
    ]);
  });
});

test("a Vagrantfile written outside the lab folder reaches host folders and keys through the config's folder", () => {
  const config = lab({}, { syncedFolders: [{ host: "data", guest: "/data" }, { host: "/srv/abs", guest: "/abs" }, { host: "~/home", guest: "/home2" }], ssh: { privateKeyPath: ["keys/id", "/etc/key"] } });
  const { lab: loaded } = checkConfig(config);
  const text = renderVagrantfile(loaded, { source: "../lab/kvm-lab.config.ts" });
  expect(lines(text, "node.vm.synced_folder")).toEqual([
    'node.vm.synced_folder "../lab/data", "/data"',
    'node.vm.synced_folder "/srv/abs", "/abs"',
    'node.vm.synced_folder "~/home", "/home2"',
  ]);
  expect(lines(text, "node.ssh.private_key_path")).toEqual(['node.ssh.private_key_path = ["../lab/keys/id", "/etc/key"]']);
  expect(lines(renderVagrantfile(loaded), "node.vm.synced_folder")[0]).toBe('node.vm.synced_folder "data", "/data"');
});

describe("/vagrant", () => {
  test("a lab folder at /vagrant replaces the project folder line, on both providers", () => {
    for (const provider of ["virtualbox", "libvirt"] as const) {
      const text = render(lab({ provider, syncedFolders: [{ host: "code", guest: "/vagrant", type: "rsync", create: true }] }));
      expect(lines(text, "config.vm.synced_folder")).toEqual(['config.vm.synced_folder "code", "/vagrant", type: "rsync", create: true']);
      expect(lines(text, "node.vm.synced_folder")).toEqual([]);
    }
  });

  test("when every machine has its own /vagrant, the top has no /vagrant line; when some have, the default stays", () => {
    const own = { syncedFolders: [{ host: "code", guest: "/vagrant", type: "rsync", create: true }] };
    const all = render({ ...lab({ provider: "libvirt" }), machines: [{ name: "web", ...own }, { name: "node2", ...own }] } as LabConfig);
    expect(lines(all, "config.vm.synced_folder")).toEqual([]);
    expect(lines(all, "node.vm.synced_folder")).toHaveLength(2);
    const some = render({ ...lab({ provider: "libvirt" }), machines: [{ name: "web", ...own }, { name: "node2" }] } as LabConfig);
    expect(lines(some, "config.vm.synced_folder")).toEqual(['config.vm.synced_folder ".", "/vagrant", disabled: true']);
  });

  test("vagrant validate takes a machine's own /vagrant over the disabled default, and a disabled lab folder", async () => {
    if (!libvirtReachable()) return;
    const config = {
      ...lab({ provider: "libvirt", syncedFolders: [{ host: ".", guest: "/srv/all" }] }),
      machines: [
        { name: "web", syncedFolders: [{ host: "code", guest: "/vagrant", type: "rsync", create: true }, { host: ".", guest: "/srv/all", disabled: true }] },
        { name: "node2" },
      ],
    } as LabConfig;
    const result = await vagrantValidate(render(config), "libvirt");
    expect(result.output).toContain("Vagrantfile validated successfully");
  });

  test("libvirt keeps /vagrant off unless the config shares it", () => {
    expect(lines(render(lab({ provider: "libvirt" })), "config.vm.synced_folder")).toEqual(['config.vm.synced_folder ".", "/vagrant", disabled: true']);
  });

  test('the project folder is written out when another folder shares "." (Vagrant would then drop its /vagrant)', () => {
    const text = render(lab({}, { syncedFolders: [{ host: ".", guest: "/srv/app" }] }));
    expect(lines(text, "config.vm.synced_folder")).toEqual(['config.vm.synced_folder ".", "/vagrant"']);
    expect(lines(render(lab()), "config.vm.synced_folder")).toEqual([]);
  });
});

describe("define, box version, ssh, plugins", () => {
  test("define takes autostart: false and primary: true only when they differ from Vagrant's defaults", () => {
    const text = render({ ...lab(), machines: [{ name: "web", primary: true }, { name: "node2", autostart: false }, { name: "node3", autostart: true, primary: false }] } as LabConfig);
    expect(lines(text, "config.vm.define")).toEqual([
      'config.vm.define "web", primary: true do |node|',
      'config.vm.define "node2", autostart: false do |node|',
      'config.vm.define "node3" do |node|',
    ]);
  });

  test("box_version after the box, from the machine or the defaults", () => {
    const text = render({ ...lab({ defaults: { boxVersion: ">= 1.0, < 2.0" } }), machines: [{ name: "web", boxVersion: "~> 1.2" }, { name: "node2" }] } as LabConfig);
    expect(lines(text, "node.vm.box_version")).toEqual(['node.vm.box_version = "~> 1.2"', 'node.vm.box_version = ">= 1.0, < 2.0"']);
  });

  test("node.ssh in Vagrant's spellings, the machine's over the defaults'", () => {
    const text = render(lab({ defaults: { ssh: { username: "ops", forwardAgent: true } } }, { ssh: { insertKey: false, privateKeyPath: ["package.json"], username: "me" } }), "libvirt");
    expect(lines(text, "node.ssh")).toEqual([
      'node.ssh.username = "me"',
      "node.ssh.insert_key = false",
      'node.ssh.private_key_path = ["package.json"]',
      "node.ssh.forward_agent = true",
    ]);
  });

  test("config.vagrant.plugins lists the lab's plugins; none, no line", () => {
    expect(lines(render(lab({ vagrantPlugins: ["vagrant-libvirt", "vagrant-reload"] })), "config.vagrant")).toEqual(['config.vagrant.plugins = ["vagrant-libvirt", "vagrant-reload"]']);
    expect(lines(render(lab()), "config.vagrant")).toEqual([]);
  });
});

// The rules refuse most of these; the renderer must still print them as literals, so they bypass the rules here.
test("hostile folder, SSH and version strings are read back exactly by real Ruby", async () => {
  const hostile = ['#{`id`}', '"; system("id"); "', "a\\b", "line\nbreak", "#@x #$0", "é 日本"];
  const dir = await tempDir();
  try {
    const files: string[] = [];
    for (const provider of ["virtualbox", "libvirt"] as const) {
      const config = lab({ provider, syncedFolders: [{ host: hostile[0], guest: `/x${hostile[1]}`, create: true, owner: hostile[2], group: hostile[3] }] }, {
        boxVersion: hostile[1],
        ssh: { username: hostile[4], password: hostile[5], privateKeyPath: hostile },
        syncedFolders: [{ host: hostile[3], guest: "/y", type: provider === "libvirt" ? "9p" : "rsync", create: true, mountOptions: hostile, rsyncExclude: hostile }],
      });
      const file = path.join(dir, `Vagrantfile.${provider}`);
      await fs.writeFile(file, renderVagrantfile(normalizeLab(config, { provider }).lab));
      files.push(file);
    }
    const read = await readWithRuby(files);
    for (const file of files) {
      expect(read[file].error).toBeUndefined();
      for (const value of hostile) expect(read[file].strings).toContain(value);
    }
  } finally {
    await fs.remove(dir);
  }
});
