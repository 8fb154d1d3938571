// Rules of synced folders, SSH settings, autostart/primary, box versions and Vagrant
// plugins (src/config/rules-folders.ts): each asserts the field path, the message and the fix.
import { execa } from "execa";
import { checkConfig } from "../../../src/config/load.js";
import { setHostPlatformForTests } from "../../../src/config/rules-folders.js";
import { badVersionParts, isGemName } from "../../../src/config/synced-folders.js";
import type { LabConfig, Provider, SyncedFolderConfig } from "../../../src/config/types.js";
import type { Problem } from "../../../src/errors.js";
import { problemAt, problemsOf as problemsOfConfig, warningsOf as warningsOfConfig } from "../../support/problems.js";

const problemsOf = (config: unknown, provider?: Provider): Problem[] => problemsOfConfig(config, { provider });
const warningsOf = (config: unknown, provider?: Provider): Problem[] => warningsOfConfig(config, { provider });
const at = problemAt;

function lab(extra: Partial<LabConfig> = {}, machine: Record<string, unknown> = {}): LabConfig {
  return { name: "lab", box: "debian/bookworm64", machines: [{ name: "web", ...machine }, { name: "node2" }], ...extra } as LabConfig;
}

function folders(list: SyncedFolderConfig[], provider?: Provider): LabConfig {
  return lab({ provider }, { syncedFolders: list });
}




const F = "machines[0] (web).syncedFolders";

describe("folder types and providers", () => {
  test("a folder with a provider is the machine's only on that provider: one config, a /vagrant per provider", () => {
    const list: SyncedFolderConfig[] = [
      { host: ".", guest: "/vagrant", type: "virtiofs", provider: "libvirt" },
      { host: ".", guest: "/vagrant", type: "virtualbox", provider: "virtualbox" },
    ];
    for (const provider of ["libvirt", "virtualbox"] as const) {
      expect(problemsOf(folders(list), provider)).toEqual([]);
      const { lab } = checkConfig(folders(list), { provider });
      expect(lab.machines[0].syncedFolders.map((f) => [f.type, f.path])).toEqual([[list[provider === "libvirt" ? 0 : 1].type, `machines[0] (web).syncedFolders[${provider === "libvirt" ? 0 : 1}]`]]);
    }
  });


  test("9p and virtiofs on a VirtualBox lab are errors naming the provider; the same config renders for libvirt", () => {
    const config = folders([
      { host: ".", guest: "/a", type: "9p" },
      { host: ".", guest: "/b", type: "virtiofs" },
    ]);
    const problems = problemsOf(config);
    const p = at(problems, `${F}[0].type`);
    expect(p.message).toBe('"9p" folders exist on libvirt only, and this lab renders for virtualbox');
    expect(p.fix).toContain("--provider libvirt");
    expect(at(problems, `${F}[1].type`).message).toContain('"virtiofs" folders exist on libvirt only');
    expect(problemsOf(config, "libvirt")).toEqual([]);
  });

  test("a virtualbox folder is an error when --provider libvirt renders the lab", () => {
    const config = lab({ provider: "virtualbox", syncedFolders: [{ host: ".", guest: "/data", type: "virtualbox" }] });
    expect(problemsOf(config)).toEqual([]);
    const p = at(problemsOf(config, "libvirt"), "syncedFolders[0].type");
    expect(p.message).toBe('"virtualbox" folders exist on virtualbox only, and this lab renders for libvirt');
    expect(p.fix).toContain('"virtiofs", "9p", "nfs" or "rsync"');
  });

  test("a lab folder is reported once, not once per machine", () => {
    const problems = problemsOf(lab({ syncedFolders: [{ host: ".", guest: "/data", type: "9p" }] }));
    expect(problems.filter((p) => p.path === "syncedFolders[0].type")).toHaveLength(1);
  });
});

describe("guest paths", () => {
  test("a relative guest path is an error with an absolute one as the fix", () => {
    const p = at(problemsOf(folders([{ host: ".", guest: "srv/data" }])), `${F}[0].guest`);
    expect(p.message).toBe('"srv/data" is not an absolute path in the guest');
    expect(p.fix).toBe('start it with /, e.g. "/srv/data"');
  });

  test("the guest's root is refused; Windows guest paths (C:) are Vagrant's and accepted", () => {
    expect(at(problemsOf(folders([{ host: ".", guest: "/" }])), `${F}[0].guest`).message).toBe("is the guest's root folder");
    expect(problemsOf(folders([{ host: ".", guest: "C:/data" }]))).toEqual([]);
  });

  test("two folders at one guest path on a machine (a trailing slash aside) are an error", () => {
    const p = at(problemsOf(folders([{ host: ".", guest: "/data" }, { host: "src", guest: "/data/", create: true }])), `${F}[1].guest`);
    expect(p.message).toBe(`"/data/" is already the guest path of ${F}[0]`);
    expect(p.fix).toContain("disabled: true");
  });

  test("a machine's folder at a lab folder's guest path is an error, unless it disables it", () => {
    const config = lab({ syncedFolders: [{ host: ".", guest: "/data" }] }, { syncedFolders: [{ host: "src", guest: "/data", create: true }] });
    expect(at(problemsOf(config), `${F}[0].guest`).message).toBe('"/data" is already the guest path of syncedFolders[0], shared with every machine');
    const off = lab({ syncedFolders: [{ host: ".", guest: "/data" }] }, { syncedFolders: [{ host: ".", guest: "/data", disabled: true }] });
    expect(problemsOf(off)).toEqual([]);
  });
});

describe("values the guest's shell reads", () => {
  test("a mount option with shell characters or spaces is an error", () => {
    const problems = problemsOf(folders([{ host: ".", guest: "/data", mountOptions: ["uid=1000", "ro; reboot", "a b"] }]));
    const p = at(problems, `${F}[0].mountOptions[1]`);
    expect(p.message).toBe('"ro; reboot" is not a mount option (the guest\'s shell reads it unquoted)');
    expect(at(problems, `${F}[0].mountOptions[2]`)).toBeDefined();
    expect(problems.find((q) => q.path === `${F}[0].mountOptions[0]`)).toBeUndefined();
  });

  test("owner and group are names or numbers", () => {
    const problems = problemsOf(folders([{ host: ".", guest: "/data", owner: "$(id)", group: "1000" }]));
    expect(at(problems, `${F}[0].owner`).message).toBe('"$(id)" is not a user or group name or number');
    expect(problems.find((q) => q.path === `${F}[0].group`)).toBeUndefined();
  });

  test("9p and virtiofs guest paths go to the shell unquoted; other types quote them", () => {
    const spaced = (type: "9p" | "nfs"): SyncedFolderConfig[] => [{ host: ".", guest: "/my data", type }];
    expect(at(problemsOf(folders(spaced("9p")), "libvirt"), `${F}[0].guest`).message).toContain("unquoted");
    expect(problemsOf(folders(spaced("nfs")), "libvirt")).toEqual([]);
  });
});

describe("host paths", () => {
  test("a missing host folder is a warning (vagrant refuses it) unless create or disabled", () => {
    const p = at(warningsOf(folders([{ host: "no-such-folder-here", guest: "/data" }])), `${F}[0].host`);
    expect(p.message).toMatch(/^"no-such-folder-here" is not a folder \(looked for .*no-such-folder-here\); vagrant will refuse to start$/);
    expect(p.fix).toBe("create the folder, or set create: true so Vagrant makes it");
    expect(warningsOf(folders([{ host: "no-such-folder-here", guest: "/data", create: true }]))).toEqual([]);
    expect(warningsOf(folders([{ host: "no-such-folder-here", guest: "/data", disabled: true }]))).toEqual([]);
    expect(warningsOf(folders([{ host: ".", guest: "/data" }]))).toEqual([]);
  });

  test("relative host paths start at the config file's folder", () => {
    // test/unit exists relative to the repository root, not relative to test/golden/minimal.
    const config = folders([{ host: "test/unit", guest: "/data" }]);
    expect(checkConfig(config, { file: `${process.cwd()}/kvm-lab.config.ts` }).warnings).toEqual([]);
    expect(at(checkConfig(config, { file: `${process.cwd()}/test/golden/minimal/kvm-lab.config.json` }).warnings, `${F}[0].host`).message).toContain("test/golden/minimal/test/unit");
  });

  test("an empty host path is an error", () => {
    expect(at(problemsOf(folders([{ host: " ", guest: "/data" }])), `${F}[0].host`).message).toBe("is empty");
  });
});

describe("options of the wrong type", () => {
  test("rsyncExclude on nfs is warned and named with the types that read it", () => {
    const p = at(warningsOf(folders([{ host: ".", guest: "/data", type: "nfs", rsyncExclude: [".git/"] }])), `${F}[0].rsyncExclude`);
    expect(p.message).toBe('is not read by "nfs" folders (only by "rsync"); it is left out of the Vagrantfile');
  });

  test("owner on nfs: NFS keeps the host's owners (Vagrant's validate refuses it)", () => {
    const p = at(warningsOf(folders([{ host: ".", guest: "/data", type: "nfs", owner: "www-data" }])), `${F}[0].owner`);
    expect(p.fix).toBe("NFS keeps the host's owners: remove it, or use another type");
  });

  test("without a type, VirtualBox's shared folders decide; on libvirt only 9p's accessMode is out", () => {
    expect(at(warningsOf(folders([{ host: ".", guest: "/data", nfsVersion: 4 }])), `${F}[0].nfsVersion`).message).toContain('"virtualbox" folders');
    expect(warningsOf(folders([{ host: ".", guest: "/data", nfsVersion: 4 }], "libvirt"))).toEqual([]);
    expect(at(warningsOf(folders([{ host: ".", guest: "/data", accessMode: "mapped" }], "libvirt")), `${F}[0].accessMode`).message).toBe(
      'is not read by a folder without a type folders (only by "9p"); it is left out of the Vagrantfile',
    );
  });

  test("an empty list is no option; options of the type are quiet", () => {
    expect(warningsOf(folders([{ host: ".", guest: "/data", type: "nfs", rsyncExclude: [], mountOptions: ["vers=3"], nfsVersion: 3, nfsUdp: false }]))).toEqual([]);
    expect(warningsOf(folders([{ host: ".", guest: "/data", type: "9p", accessMode: "squash", mountOptions: ["cache=loose"] }], "libvirt"))).toEqual([]);
    expect(warningsOf(folders([{ host: ".", guest: "/data", type: "rsync", owner: "a", group: "b", rsyncArgs: ["-a"], rsyncExclude: ["x"] }]))).toEqual([]);
  });

  test("an NFS version outside 2 to 4 is an error", () => {
    const p = at(problemsOf(folders([{ host: ".", guest: "/data", type: "nfs", nfsVersion: 5 }])), `${F}[0].nfsVersion`);
    expect(p.message).toBe("5 is not an NFS version");
    expect(p.fix).toBe("use 2, 3 or 4 (Vagrant's default: 3)");
  });

  test("NFS version 4 with UDP is warned", () => {
    expect(at(warningsOf(folders([{ host: ".", guest: "/data", type: "nfs", nfsVersion: 4, nfsUdp: true }])), `${F}[0].nfsUdp`).message).toBe("NFS version 4 runs over TCP only");
  });

  test("smb folders are warned on a Linux host, not on macOS or Windows", () => {
    const config = folders([{ host: ".", guest: "/data", type: "smb", smbUsername: "me" }]);
    const previous = setHostPlatformForTests("linux");
    try {
      expect(at(warningsOf(config), `${F}[0].type`).message).toBe("smb folders need a Windows or macOS host, and Vagrant refuses them on this one");
      setHostPlatformForTests("darwin");
      expect(warningsOf(config)).toEqual([]);
    } finally {
      setHostPlatformForTests(previous);
    }
  });
});

describe("ssh", () => {
  test("a password is warned: it is written in clear", () => {
    const p = at(warningsOf(lab({}, { ssh: { password: "x" } })), "machines[0] (web).ssh.password");
    expect(p.message).toBe("is written in clear into the Vagrantfile");
  });

  test("a password makes Vagrant skip the private keys", () => {
    const p = at(warningsOf(lab({}, { ssh: { password: "x", privateKeyPath: ["package.json"] } })), "machines[0] (web).ssh.privateKeyPath");
    expect(p.message).toBe("is not used: with a password set, Vagrant logs in with the password alone");
  });

  test("a private key that is not a file is warned (vagrant validate refuses it); the defaults' ssh applies to every machine", () => {
    const config = lab({ defaults: { ssh: { privateKeyPath: ["keys/none"] } } });
    const warnings = warningsOf(config);
    expect(at(warnings, "machines[0] (web).ssh.privateKeyPath[0]").message).toMatch(/^"keys\/none" is not a file/);
    expect(at(warnings, "machines[1] (node2).ssh.privateKeyPath[0]")).toBeDefined();
    expect(warningsOf(lab({ defaults: { ssh: { privateKeyPath: ["package.json"] } } }))).toEqual([]);
  });
});

describe("primary and autostart", () => {
  test("one primary and machines that do not autostart are fine", () => {
    expect(problemsOf(lab({ machines: [{ name: "web", primary: true, autostart: false }, { name: "node2", autostart: false }] }))).toEqual([]);
  });
});

describe("box version", () => {
  test("a bad constraint is an error naming the bad part", () => {
    const p = at(problemsOf(lab({}, { boxVersion: ">= 1.0, latest" })), "machines[0] (web).boxVersion");
    expect(p.message).toBe('"latest" is not a version constraint');
    expect(p.fix).toContain('"~> 1.0"');
  });

  test("defaults.boxVersion is every machine's", () => {
    const problems = problemsOf(lab({ defaults: { boxVersion: "v1" } }));
    expect(at(problems, "machines[1] (node2).boxVersion").message).toBe('"v1" is not a version constraint');
  });

  test("the check agrees with Vagrant's: RubyGems' Gem::Requirement on each comma-separated part", async () => {
    const samples = [
      "1.2.3", ">= 1.0, < 2.0", "~> 1.0", "= 1", "!= 2.0", "> 1 ", "<=3", "1.0.0.rc1", "1.0-beta.2", "12.20230101.1",
      "", ",", ">= 1.0,", ", 1", "1,,2", "v1", "1..2", ">> 1", "1.0 beta", "=> 1", "latest", "~>", "1.", ".1", "1.0-", "> 1 < 2", "\t1\t",
    ];
    const script = `require "json"; JSON.parse(STDIN.read).each { |v| ok = v.to_s.split(",").all? { |p| begin; Gem::Requirement.new(p.strip); true; rescue Gem::Requirement::BadRequirementError; false; end }; puts(ok ? "ok" : "bad") }`;
    const { stdout } = await execa("ruby", ["-e", script], { input: JSON.stringify(samples) });
    const ruby = stdout.split("\n");
    const ours = samples.map((v) => (badVersionParts(v).length === 0 ? "ok" : "bad"));
    expect(ours.map((r, i) => `${JSON.stringify(samples[i])} ${r}`)).toEqual(ruby.map((r, i) => `${JSON.stringify(samples[i])} ${r}`));
  });
});

describe("vagrant plugins", () => {
  test("a name that is no gem name is an error; a repeated one a warning", () => {
    const config = lab({ vagrantPlugins: ["vagrant-libvirt", "vagrant libvirt", "-x", "vagrant-libvirt"] });
    const problems = problemsOf(config);
    expect(at(problems, "vagrantPlugins[1]").message).toBe('"vagrant libvirt" is not a plugin (gem) name');
    expect(at(problems, "vagrantPlugins[2]").fix).toContain("starting with a letter or digit");
    const ok = lab({ vagrantPlugins: ["vagrant-libvirt", "vagrant-libvirt"] });
    expect(at(warningsOf(ok), "vagrantPlugins[1]").message).toBe('"vagrant-libvirt" is listed twice');
  });

  test("gem names as RubyGems' validate_name takes them", () => {
    for (const name of ["vagrant-libvirt", "vagrant_hostmanager", "fog.libvirt", "v2", "A1"]) expect(isGemName(name)).toBe(true);
    for (const name of ["", "123", "-a", ".a", "_a", "a b", "a/b", "ä"]) expect(isGemName(name)).toBe(false);
  });
});

describe("per-provider boxes", () => {
  test("libvirt.box and virtualbox.box are picked by the provider the lab renders for", () => {
    const config = lab({ defaults: { libvirt: { box: "generic/debian12" } } }, { virtualbox: { box: "bento/debian-12" }, libvirt: { box: "own/libvirt" } });
    const vb = checkConfig(config, { provider: "virtualbox" }).lab.machines;
    const lv = checkConfig(config, { provider: "libvirt" }).lab.machines;
    expect(vb.map((m) => m.box)).toEqual(["bento/debian-12", "debian/bookworm64"]);
    expect(lv.map((m) => m.box)).toEqual(["own/libvirt", "generic/debian12"]);
  });
});
