// `kvm-lab diff` on labs that were never brought up, and its faults. Nothing here needs a
// running provider: with no machine created (no id under .vagrant/machines) diff asks
// nobody, and says every machine is not created (exit 10, changes pending). With an id
// there, a virsh or VBoxManage that is missing or fails (a stand-in that fails: fault
// injection) is a clear error naming the tool (exit 3), never "nothing to do".
import path from "node:path";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { ROOT, tempDir, TWIN_BIN } from "../support/tools.js";

const FAKE_VAGRANT = path.join(ROOT, "test", "support", "fakes", "vagrant");
let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-diff-");
});
afterEach(() => fs.remove(dir));

async function lab(provider: "libvirt" | "virtualbox"): Promise<void> {
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), {
    name: "never",
    box: "b",
    provider,
    machines: [{ name: "node1" }, { name: "node2", memory: 1024 }, { name: "spare", autostart: false }],
  });
}

for (const provider of ["libvirt", "virtualbox"] as const) {
  test(`${provider}: a lab never brought up: every machine not created, up needed, exit 10; no vagrant call`, async () => {
    await lab(provider);
    const env = { KVM_LAB_VAGRANT: FAKE_VAGRANT, FAKE_LOG: path.join(dir, "vagrant.log"), PATH: `${TWIN_BIN}:${process.env.PATH}`, KVMLAB_TWIN_HOME: path.join(dir, "twin") };
    const text = await kvmLab(["diff"], { cwd: dir, env });
    expect(text.exitCode).toBe(10);
    expect(text.stdout).toBe(
      [
        `lab never (${provider}): 2 of 2 machines to change`,
        "Vagrantfile: missing: up writes it",
        "node1  not_created  up",
        "  needs: vagrant up node1",
        "node2  not_created  up",
        "  needs: vagrant up node2",
      ].join("\n"),
    );
    expect((await kvmLab(["render"], { cwd: dir, env })).exitCode).toBe(0);
    const json = await kvmLab(["diff", "--json", "node2", "spare"], { cwd: dir, env });
    expect(json.exitCode).toBe(10);
    expect(JSON.parse(json.stdout)).toEqual({
      lab: "never",
      provider,
      pending: true,
      vagrantfile: { path: "Vagrantfile", state: "current" },
      machines: ["node2", "spare"].map((name) => ({ name, state: "not_created", recorded: false, action: "up", provisionWith: [], commands: [`vagrant up ${name}`], changes: [] })),
      strays: [],
    });
    expect(await fs.pathExists(path.join(dir, "vagrant.log"))).toBe(false);
    // Nothing created, so no provider was asked either (the twin keeps a log of every call).
    expect(await fs.pathExists(path.join(dir, "twin", "calls.log"))).toBe(false);
  });
}

test("diff of a machine that is not in the config: a usage error naming the machines", async () => {
  await lab("libvirt");
  const result = await kvmLab(["diff", "nodeX"], { cwd: dir });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("no machine nodeX in lab never");
});

async function withId(provider: "libvirt" | "virtualbox"): Promise<void> {
  await lab(provider);
  await fs.outputFile(path.join(dir, ".vagrant", "machines", "node1", provider, "id"), "5b1f0c53-1111-4222-8333-444455556666");
}

/** A folder holding only `node`, for a PATH without virsh and VBoxManage. */
async function bareBin(): Promise<string> {
  const bin = path.join(dir, "bare-bin");
  await fs.ensureDir(bin);
  await fs.symlink(process.execPath, path.join(bin, "node"));
  return bin;
}

test("libvirt: virsh missing -> exit 3, the tool named with the fix", async () => {
  await withId("libvirt");
  const result = await kvmLab(["diff"], { cwd: dir, env: { PATH: await bareBin() } });
  expect(result.exitCode).toBe(3);
  expect(result.stderr).toContain("cannot read the machines' state: virsh is not installed (virsh -c qemu:///system domstate 5b1f0c53-1111-4222-8333-444455556666)");
  expect(result.stderr).toContain("install libvirt-clients and start libvirtd");
  expect(result.stdout).toBe("");
});

test("libvirt: virsh failing (libvirtd not answering) -> exit 3 with virsh's words, for diff and for up", async () => {
  await withId("libvirt");
  const bin = path.join(dir, "bin");
  // Fault injection: virsh as it answers when libvirtd is down.
  await fs.outputFile(path.join(bin, "virsh"), "#!/bin/sh\necho 'error: failed to connect to the hypervisor' >&2\necho \"error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused\" >&2\nexit 1\n", { mode: 0o755 });
  const env = { PATH: `${bin}:${process.env.PATH}`, LIBVIRT_DEFAULT_URI: "qemu:///system", KVM_LAB_VAGRANT: FAKE_VAGRANT, FAKE_LOG: path.join(dir, "vagrant.log") };
  for (const command of [["diff"], ["diff", "--json"], ["up"]]) {
    const result = await kvmLab(command, { cwd: dir, env });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("cannot read the machines' state: virsh failed: error: failed to connect to the hypervisor");
  }
  expect(await fs.pathExists(path.join(dir, "vagrant.log"))).toBe(false);
});

test("virtualbox: an id VirtualBox does not know is a machine not created; VBoxManage missing -> exit 3", async () => {
  await withId("virtualbox");
  const env = { PATH: `${TWIN_BIN}:${process.env.PATH}`, KVMLAB_TWIN_HOME: path.join(dir, "twin") };
  const json = JSON.parse((await kvmLab(["diff", "--json", "node1"], { cwd: dir, env })).stdout);
  expect(json.machines[0]).toMatchObject({ name: "node1", state: "not_created", action: "up" });
  const missing = await kvmLab(["diff"], { cwd: dir, env: { PATH: await bareBin() } });
  expect(missing.exitCode).toBe(3);
  expect(missing.stderr).toContain("cannot read the machines' state: VBoxManage is not installed");
});
