// The per-provider machine settings: each rule's path, message and fix, and what the
// renderer makes of the settings that pass (CPU features, VM positions, disks).
import { checkConfig } from "../../../src/config/load.js";
import { normalizeLab } from "../../../src/config/normalize.js";
import type { ExtraValue, LabConfig, MachineConfig, Provider } from "../../../src/config/types.js";
import type { Problem } from "../../../src/errors.js";
import { renderVagrantfile } from "../../../src/render/vagrantfile.js";
import { problemAt, problemsOf as problemsOfConfig, warningsOf as warningsOfConfig } from "../../support/problems.js";

const problemsOf = (config: LabConfig, provider: Provider = "libvirt"): Problem[] => problemsOfConfig(config, { provider });
const warningsOf = (config: LabConfig, provider: Provider = "libvirt"): Problem[] => warningsOfConfig(config, { provider });
const at = problemAt;

function lab(machines: MachineConfig[], extra: Partial<LabConfig> = {}): LabConfig {
  return { name: "lab", box: "debian/bookworm64", machines, ...extra };
}




function render(config: LabConfig, provider: Provider = "libvirt", tcg?: string[]): string {
  return renderVagrantfile(checkConfig(config, { provider }).lab, { tcg });
}

describe("libvirt CPU", () => {
  test("host-passthrough under TCG: libvirt refuses it", () => {
    const p = at(problemsOf(lab([{ name: "m1", accel: "tcg", libvirt: { cpuMode: "host-passthrough" } }])), "machines[0] (m1).libvirt.cpuMode");
    expect(p.message).toMatch(/host-passthrough needs KVM/);
    expect(p.fix).toMatch(/host-model/);
  });
  test("a setting of defaults.libvirt is reported there, once", () => {
    const problems = problemsOf(lab([{ name: "m1" }, { name: "m2" }], { defaults: { accel: "tcg", libvirt: { cpuMode: "host-passthrough" } } }));
    expect(problems.filter((p) => p.path === "defaults.libvirt.cpuMode")).toHaveLength(1);
  });
  test("a named model outside custom", () => {
    for (const cpuMode of ["host-model", "host-passthrough"] as const) {
      const p = at(problemsOf(lab([{ name: "m1", libvirt: { cpuMode, cpuModel: "EPYC" } }])), "machines[0] (m1).libvirt.cpuModel");
      expect(p.message).toMatch(/only in mode "custom"/);
      // config.rb finalize! sets the model to '' in every mode but custom, so its validate never
      // sees one: a real `vagrant validate` passes host-passthrough with cpu_model "EPYC".
      expect(p.message).toMatch(new RegExp(`with ${cpuMode} vagrant-libvirt drops it without a word`));
    }
    expect(at(problemsOf(lab([{ name: "m1", cpuModel: "EPYC", libvirt: { cpuMode: "host-model" } }])), "machines[0] (m1).cpuModel").fix).toMatch(/custom/);
    expect(problemsOf(lab([{ name: "m1", libvirt: { cpuMode: "custom", cpuModel: "EPYC" } }]))).toEqual([]);
  });
  test("features without a named model (vagrant-libvirt's validate refuses them)", () => {
    const features = [{ name: "pdpe1gb", policy: "require" as const }];
    const p = at(problemsOf(lab([{ name: "m1", libvirt: { cpuFeatures: features } }])), "machines[0] (m1).libvirt.cpuFeatures");
    expect(p.message).toMatch(/only with a named model .*host-passthrough/);
    expect(at(problemsOf(lab([{ name: "m1", libvirt: { cpuMode: "host-model", cpuFeatures: features } }])), "machines[0] (m1).libvirt.cpuFeatures").fix).toMatch(/cpuMode: "custom"/);
    expect(problemsOf(lab([{ name: "m1", cpuModel: "EPYC", libvirt: { cpuFeatures: features } }]))).toEqual([]);
    // nested off makes the mode custom (qemu64): features are fine there.
    expect(problemsOf(lab([{ name: "m1", nested: false, libvirt: { cpuFeatures: features } }]))).toEqual([]);
  });
  test("nested off in a mode that cannot hide svm/vmx", () => {
    for (const cpuMode of ["host-model", "host-passthrough"] as const) {
      const p = at(problemsOf(lab([{ name: "m1", nested: false, libvirt: { cpuMode } }])), "machines[0] (m1).libvirt.cpuMode");
      expect(p.message).toMatch(/nested is off, but .* cannot hide svm\/vmx/);
    }
  });
  test("nested off and a feature line that gives svm back", () => {
    const p = at(problemsOf(lab([{ name: "m1", nested: false, libvirt: { cpuFeatures: [{ name: "svm", policy: "require" }] } }])), "machines[0] (m1).libvirt.cpuFeatures[0].policy");
    expect(p.message).toMatch(/must stay hidden/);
  });
  test("a feature twice, a feature name that is not one, forbid on vmx, svm hidden with nested on", () => {
    const problems = problemsOf(
      lab([{ name: "m1", cpuModel: "EPYC", libvirt: { cpuFeatures: [{ name: "x2apic", policy: "require" }, { name: "X2APIC", policy: "disable" }, { name: "a'b", policy: "require" }] } }]),
    );
    expect(at(problems, "machines[0] (m1).libvirt.cpuFeatures[1].name").message).toMatch(/already set by cpuFeatures\[0\]/);
    expect(at(problems, "machines[0] (m1).libvirt.cpuFeatures[2].name").message).toBe(`"a'b" is not a CPU feature name`);
    const warnings = warningsOf(lab([{ name: "m1", cpuModel: "EPYC", libvirt: { cpuFeatures: [{ name: "vmx", policy: "forbid" }, { name: "svm", policy: "disable" }] } }]));
    expect(at(warnings, "machines[0] (m1).libvirt.cpuFeatures[0].policy").message).toMatch(/refuse to start the machine on a host whose CPU has vmx/);
    expect(at(warnings, "machines[0] (m1).libvirt.cpuFeatures[1].policy").message).toMatch(/hides svm though nested is on/);
  });
});

describe("libvirt CPU rendering", () => {
  const lines = (text: string, pattern: RegExp) => text.split("\n").filter((line) => pattern.test(line));
  test("nested off with a model of the config: custom, and svm/vmx disabled", () => {
    const text = render(lab([{ name: "m1", nested: false, cpuModel: "EPYC" }]));
    expect(text).toContain('libvirt.cpu_mode = "custom"');
    expect(text).toContain('libvirt.cpu_model = "EPYC"');
    expect(lines(text, /cpu_feature name: "(svm|vmx)", policy: "disable"/)).toHaveLength(2);
  });
  test("the config's own svm line replaces kvm-lab's (libvirt refuses a feature twice)", () => {
    const text = render(lab([{ name: "m1", nested: false, libvirt: { cpuMode: "custom", cpuFeatures: [{ name: "svm", policy: "disable" }] } }]));
    expect(lines(text, /cpu_feature name: "svm"/)).toHaveLength(1);
    expect(lines(text, /cpu_feature name: "vmx", policy: "disable"/)).toHaveLength(1);
  });
  test("host-passthrough of a machine moved to TCG at render time becomes host-model", () => {
    const config = lab([{ name: "m1", libvirt: { cpuMode: "host-passthrough" } }]);
    expect(render(config)).toContain('libvirt.cpu_mode = "host-passthrough"');
    expect(render(config, "libvirt", ["m1"])).toContain('libvirt.cpu_mode = "host-model"');
  });
  test("custom without a model names vagrant-libvirt's default, qemu64", () => {
    expect(render(lab([{ name: "m1", libvirt: { cpuMode: "custom" } }]))).toContain('libvirt.cpu_model = "qemu64"');
  });
});

describe("libvirt devices", () => {
  test("a keymap that is not a name, one QEMU lacks, and one without a console", () => {
    expect(at(problemsOf(lab([{ name: "m1", libvirt: { keymap: "de' x='" } }])), "machines[0] (m1).libvirt.keymap").message).toMatch(/is not a keymap name/);
    expect(at(warningsOf(lab([{ name: "m1", libvirt: { keymap: "dee" } }])), "machines[0] (m1).libvirt.keymap").fix).toBe('did you mean "de"?');
    expect(at(warningsOf(lab([{ name: "m1", libvirt: { keymap: "de", graphics: "none" } }])), "machines[0] (m1).libvirt.keymap").message).toMatch(/no console/);
  });
  test("the management NIC's model against a NIC's own type: a warning (vagrant-libvirt before 0.12.2 sets it on every NIC)", () => {
    const config = lab([{ name: "m1", nics: [{ mode: "null", nicType: "82540EM" }], libvirt: { managementNicModel: "virtio" } }]);
    expect(problemsOf(config)).toEqual([]);
    const w = at(warningsOf(config), "machines[0] (m1).nics[0].nicType");
    expect(w.message).toMatch(/vagrant-libvirt before 0\.12\.2 gives every NIC/);
    expect(w.fix).toBe('remove nicType, or set managementNicModel to "e1000"');
    expect(problemsOf(config, "virtualbox")).toEqual([]);
  });
  test("devices render with vagrant-libvirt's spellings", () => {
    const text = render(lab([{ name: "m1", diskSizeGiB: 30, disks: [{ sizeGiB: 8, bus: "sata" }], libvirt: { diskBus: "scsi", diskCache: "none", managementNicModel: "e1000", graphics: "spice", keymap: "fr", rng: true } }]));
    for (const line of [
      'libvirt.disk_bus = "scsi"',
      "libvirt.machine_virtual_size = 30",
      'libvirt.nic_model_type = "e1000"',
      'libvirt.graphics_type = "spice"',
      'libvirt.keymap = "fr"',
      'libvirt.disk_driver cache: "none"',
      'libvirt.random model: "random"',
      'libvirt.storage :file, size: "8G", bus: "sata", cache: "none"',
    ]) {
      expect(text).toContain(line);
    }
  });
});

describe("disks", () => {
  test("two disks of one name, a name Vagrant would rename, the root disk's name, sizes", () => {
    const problems = problemsOf(
      lab([{ name: "m1", diskSizeGiB: 0, disks: [{ name: "data", sizeGiB: 1 }, { name: "Data", sizeGiB: 0 }, { name: "my disk", sizeGiB: 2 }, { name: "vagrant_primary", sizeGiB: 2 }] }]),
    );
    expect(at(problems, "machines[0] (m1).disks[1].name").message).toBe('"Data" is already the name of machines[0] (m1).disks[0]');
    expect(at(problems, "machines[0] (m1).disks[1].sizeGiB").message).toBe("0 GiB is not a disk size");
    expect(at(problems, "machines[0] (m1).disks[2].name").message).toMatch(/Vagrant would rename it/);
    expect(at(problems, "machines[0] (m1).disks[3].name").message).toMatch(/Vagrant's name for the root disk/);
    expect(at(problems, "machines[0] (m1).diskSizeGiB").message).toBe("0 GiB cannot hold a root disk");
  });
  test("a bus on VirtualBox is ignored: a warning", () => {
    expect(at(warningsOf(lab([{ name: "m1", disks: [{ sizeGiB: 4, bus: "ide" }] }]), "virtualbox"), "machines[0] (m1).disks[0].bus").message).toMatch(/box's own controller/);
  });
  test("VirtualBox: Vagrant's disks, and the experimental flag Vagrant before 2.4 needs", () => {
    const text = render(lab([{ name: "m1", diskSizeGiB: 40, disks: [{ sizeGiB: 4 }] }]), "virtualbox");
    expect(text).toContain('node.vm.disk :disk, size: "40GB", primary: true');
    expect(text).toContain('node.vm.disk :disk, name: "disk1", size: "4GB"');
    expect(text).toContain('Gem::Version.new("2.4.0")');
    expect(render(lab([{ name: "m1" }]), "virtualbox")).not.toContain("VAGRANT_EXPERIMENTAL");
  });
});

describe("VirtualBox", () => {
  test("two machines with one VM name", () => {
    const p = at(problemsOf(lab([{ name: "m1", virtualbox: { name: "vm" } }, { name: "m2", virtualbox: { name: "VM" } }]), "virtualbox"), "machines[1] (m2).virtualbox.name");
    expect(p.message).toBe('"VM" is already the VM name of machines[0] (m1)');
  });
  test("a VM name under defaults", () => {
    const problems = problemsOf(lab([{ name: "m1" }, { name: "m2" }], { defaults: { virtualbox: { name: "vm" } } }), "virtualbox");
    expect(problems.filter((p) => p.path === "defaults.virtualbox.name")).toHaveLength(1);
    expect(at(problems, "defaults.virtualbox.name").message).toMatch(/one machine's/);
  });
  test("a counted machine numbers its VM name", () => {
    const config = lab([{ name: "web{n}", count: 2, virtualbox: { name: "lab-web-{n}" } }, { name: "sql", count: 2, virtualbox: { name: "lab-sql" } }]);
    expect(problemsOf(config, "virtualbox")).toEqual([]);
    const text = render(config, "virtualbox");
    for (const name of ["lab-web-1", "lab-web-2", "lab-sql1", "lab-sql2"]) expect(text).toContain(`vb.name = "${name}"`);
  });
  test("customize: a command kvm-lab does not run, a guestproperty call without its subcommand", () => {
    const problems = problemsOf(lab([{ name: "m1", virtualbox: { customize: [{ command: "modifvm", args: [] }, { command: "guestproperty", args: ["/a", "b"] }] } }]), "virtualbox");
    expect(at(problems, "machines[0] (m1).virtualbox.customize[0].command").fix).toBe('did you mean "modifyvm"?');
    expect(at(problems, "machines[0] (m1).virtualbox.customize[1].args").message).toMatch(/subcommand first and the VM after it/);
  });
  test("customize: the VM written as text, a modifyvm option kvm-lab sets from a field", () => {
    const problems = problemsOf(lab([{ name: "m1", virtualbox: { customize: [{ command: "modifyvm", args: [":id", "--memory", "4096"] }] } }]), "virtualbox");
    expect(at(problems, "machines[0] (m1).virtualbox.customize[0].args[0]").fix).toMatch(/leave the VM out/);
    expect(at(problems, "machines[0] (m1).virtualbox.customize[0].args[1]").fix).toBe("use memory instead");
  });
  test("customize: a typed modifyvm option with its value joined by = or : (IPRT getopt.cpp rtGetOptSearchLong takes both)", () => {
    const args = ["--cpus=4", "--cpu-profile:host", "--nested-hw-virt=on", "--memory", "4096", "--vram=16"];
    const problems = problemsOf(lab([{ name: "m1", virtualbox: { customize: [{ command: "modifyvm", args }] } }]), "virtualbox");
    expect(at(problems, "machines[0] (m1).virtualbox.customize[0].args[0]").fix).toBe("use cpus instead");
    expect(at(problems, "machines[0] (m1).virtualbox.customize[0].args[1]").fix).toBe("use virtualbox.cpuProfile instead");
    expect(at(problems, "machines[0] (m1).virtualbox.customize[0].args[2]").fix).toBe("use nested instead");
    expect(problems.map((p) => p.path)).not.toContain("machines[0] (m1).virtualbox.customize[0].args[5]");
  });
  test("customize puts the VM where VBoxManage takes it; guest properties and the CPU profile", () => {
    const text = render(
      lab([
        {
          name: "m1",
          virtualbox: {
            cpuProfile: "Intel Core i7-6700K",
            guestProperties: { "/a": "1" },
            customize: [{ command: "storagectl", args: ["--name", "SATA", "--hostiocache", "on"] }, { command: "sharedfolder", args: ["add", "--name", "x", "--hostpath", "/srv"] }],
          },
        },
      ]),
      "virtualbox",
    );
    expect(text).toContain('vb.customize ["modifyvm", :id, "--cpu-profile", "Intel Core i7-6700K"]');
    expect(text).toContain('vb.customize ["guestproperty", "set", :id, "/a", "1"]');
    expect(text).toContain('vb.customize ["storagectl", :id, "--name", "SATA", "--hostiocache", "on"]');
    expect(text).toContain('vb.customize ["sharedfolder", "add", :id, "--name", "x", "--hostpath", "/srv"]');
  });
});

describe("escape hatch", () => {
  test("a key that is not a method name", () => {
    const p = at(problemsOf(lab([{ name: "m1", libvirt: { options: { "a = 1; system('x') #": 1 } } }])), `machines[0] (m1).libvirt.options["a = 1; system('x') #"]`);
    expect(p.message).toMatch(/is not a setting name/);
  });
  test("a key that is not a method name never reaches the Vagrantfile, even past the rules", () => {
    for (const provider of ["libvirt", "virtualbox"] as const) {
      const { lab: normalized } = normalizeLab(lab([{ name: "m1", [provider]: { options: { "x = 1; system('id') #": 1 } } }], { provider }));
      expect(() => renderVagrantfile(normalized)).toThrow("not a safe Ruby method name");
    }
  });
  test("a key kvm-lab writes from a typed field points at the field", () => {
    expect(at(problemsOf(lab([{ name: "m1", libvirt: { options: { cpu_mode: "custom" } } }])), "machines[0] (m1).libvirt.options.cpu_mode").fix).toBe("use libvirt.cpuMode instead");
    expect(at(problemsOf(lab([{ name: "m1", virtualbox: { options: { linked_clone: true } } }]), "virtualbox"), "machines[0] (m1).virtualbox.options.linked_clone").fix).toBe(
      "use virtualbox.linkedClone instead",
    );
    expect(at(problemsOf(lab([{ name: "m1" }], { defaults: { libvirt: { options: { volume_cache: "none" } } } })), "defaults.libvirt.options.volume_cache").fix).toBe("use libvirt.diskCache instead");
  });
  test("an unknown key is warned about by name, with did you mean", () => {
    const w = at(warningsOf(lab([{ name: "m1", libvirt: { options: { video_typ: "virtio" } } }])), "machines[0] (m1).libvirt.options.video_typ");
    expect(w.message).toMatch(/"video_typ" is not a setting of vagrant-libvirt 0.11.2/);
    expect(w.fix).toBe('did you mean "video_type"?');
    expect(at(warningsOf(lab([{ name: "m1", virtualbox: { options: { gu: true } } }]), "virtualbox"), "machines[0] (m1).virtualbox.options.gu").message).toMatch(/"gu" is not a setting/);
    expect(warningsOf(lab([{ name: "m1", libvirt: { options: { video_type: "virtio", qemu_env: { A: "b" } } } }]))).toEqual([]);
  });
  test("an accessor a vagrant-libvirt method fills is refused, not offered as `libvirt.<key> = value`", () => {
    // config.rb: `storage`, `memorybacking`, `qemuargs`, ... push hashes with symbol keys; `channel` is a method.
    const cases: [string, ExtraValue][] = [["memory_backing", [{ name: "source" }]], ["qemu_args", [{ value: "-x" }]], ["channel", "x"], ["cdroms", []], ["numa_nodes", [{ cpus: "0-1" }]]];
    for (const [key, value] of cases) {
      const p = at(problemsOf(lab([{ name: "m1", libvirt: { options: { [key]: value } } }])), `machines[0] (m1).libvirt.options.${key}`);
      expect(p.message).toMatch(new RegExp(`^libvirt\\.${key} is no plain setting: vagrant-libvirt fills it through `));
      expect(p.fix).toBe("remove it: the escape hatch writes `libvirt.<key> = value` settings only");
    }
    expect(at(problemsOf(lab([{ name: "m1", libvirt: { options: { memory_backing: [] } } }])), "machines[0] (m1).libvirt.options.memory_backing").message).toContain("the memorybacking method");
    // Not offered as a "did you mean" either.
    expect(at(warningsOf(lab([{ name: "m1", libvirt: { options: { qemu_arg: "x" } } }])), "machines[0] (m1).libvirt.options.qemu_arg").fix ?? "").not.toContain("qemu_args");
    // Plain settings that take string-keyed hashes or arrays stay allowed.
    expect(problemsOf(lab([{ name: "m1", libvirt: { options: { qemu_env: { A: "b" }, boot_order: ["hd"], sysinfo: { bios: { vendor: "x" } } } } }]))).toEqual([]);
  });
  test("options render as literals: hashes with string keys", () => {
    const text = render(lab([{ name: "m1", libvirt: { options: { qemu_env: { 'A"#{x}': "b" }, features: ["acpi", "apic"] } } }]));
    expect(text).toContain('libvirt.qemu_env = { "A\\"\\#{x}" => "b" }');
    expect(text).toContain('libvirt.features = ["acpi", "apic"]');
  });
});

describe("settings of the other provider", () => {
  test("libvirt settings on a VirtualBox lab: one warning per block, naming the keys", () => {
    const config = lab([{ name: "m1", libvirt: { graphics: "none", options: { video_type: "virtio" } } }], { defaults: { libvirt: { rng: true } } });
    const warnings = warningsOf(config, "virtualbox");
    expect(at(warnings, "machines[0] (m1).libvirt").message).toBe("graphics, options.video_type are libvirt settings; the lab renders for VirtualBox, which ignores them");
    expect(at(warnings, "defaults.libvirt").message).toBe("rng is a libvirt setting; the lab renders for VirtualBox, which ignores it");
    expect(warningsOf(config, "libvirt")).toEqual([]);
  });
  test("VirtualBox settings on a libvirt lab; a provider's box is not one", () => {
    const warnings = warningsOf(lab([{ name: "m1", virtualbox: { box: "x/y", linkedClone: true } }]));
    expect(at(warnings, "machines[0] (m1).virtualbox").message).toBe("linkedClone is a VirtualBox setting; the lab renders for libvirt, which ignores it");
  });
});
