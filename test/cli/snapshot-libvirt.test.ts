// Lab snapshots on real libvirt, through the built CLI: tiny domains (no OS: a blank qcow2
// disk, 32 MiB, TCG, no NIC) stand in for a lab's machines, their UUIDs written where Vagrant
// keeps them (.vagrant/machines/<m>/libvirt/id), so nothing boots (vagrant runs once, to list).
// Proves save / list / restore / delete; that `vagrant snapshot list` sees the same snapshots;
// that a snapshot keeps the running state (memory: a domain powered off after the save comes
// back running); a snapshot made by hand shown as such; the machines whose memory QEMU cannot
// save named with the cause and the fix (a raw disk; a virtiofs share); test --reuse after a
// config change (the fake vagrant and ssh stand in for what only a booted guest has).
// test/e2e/network.test.ts proves on a booted lab what it can: a snapshot of a lab not up,
// a restore failing half-way with one machine's snapshot gone, test --reuse's first and
// second run; test/unit/snapshots/lab.test.ts the same decisions on a stand-in backend.
// Skips, saying why, where the tests' libvirtd does not answer.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { libvirtReachable, ROOT, tempDir, VAGRANT_HOME } from "../support/tools.js";

const URI = "qemu:///system";
const PREFIX = `kvmlab-snap-${process.pid}`;
const reachable = libvirtReachable();
if (!reachable) console.log("skipped: the tests' libvirtd does not answer virsh -c qemu:///system (test/support/libvirtd.mjs)");
const maybe = reachable ? describe : describe.skip;

const virsh = (...args: string[]) => execa("virsh", ["-c", URI, ...args], { reject: false });

let dir: string;
const uuids = new Map<string, string>();

/** Defines and starts domain `<PREFIX>-<name>`; `kind` gives it a raw disk or a virtiofs share, which internal snapshots with memory refuse. */
async function domain(name: string, kind: "plain" | "raw" | "virtiofs" = "plain"): Promise<string> {
  const disk = path.join(dir, `${name}.${kind === "raw" ? "raw" : "qcow2"}`);
  await execa("qemu-img", ["create", "-q", "-f", kind === "raw" ? "raw" : "qcow2", disk, "16M"]);
  const share = path.join(dir, "share");
  await fs.ensureDir(share);
  const xml = `<domain type='qemu'><name>${PREFIX}-${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
${kind === "virtiofs" ? "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>" : ""}
<os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>
<devices><disk type='file' device='disk'><driver name='qemu' type='${kind === "raw" ? "raw" : "qcow2"}'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>
${kind === "virtiofs" ? `<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/><source dir='${share}'/><target dir='share'/></filesystem>` : ""}
<video><model type='none'/></video></devices></domain>`;
  const file = path.join(dir, `${name}.xml`);
  await fs.writeFile(file, xml);
  for (const args of [["define", file], ["start", `${PREFIX}-${name}`]]) {
    const r = await virsh(...args);
    if (r.exitCode !== 0) throw new Error(`virsh ${args.join(" ")}: ${r.stderr}`);
  }
  const uuid = (await virsh("domuuid", `${PREFIX}-${name}`)).stdout.trim();
  uuids.set(name, uuid);
  return uuid;
}

/** A lab folder whose machines are the named domains, as Vagrant would have left it after up. */
async function lab(folder: string, machines: string[]): Promise<string> {
  const at = path.join(dir, folder);
  await fs.outputJson(path.join(at, "kvm-lab.config.json"), { name: folder, box: "b", provider: "libvirt", machines: machines.map((name) => ({ name })) });
  for (const m of machines) await fs.outputFile(path.join(at, ".vagrant", "machines", m, "libvirt", "id"), uuids.get(m)!);
  return at;
}

const state = async (name: string) => (await virsh("domstate", uuids.get(name)!)).stdout.trim();

maybe("snapshots on real libvirt", () => {
  let labDir: string;
  const cli = (args: string[], at = labDir) => kvmLab(args, { cwd: at });

  beforeAll(async () => {
    dir = await tempDir("kvm-lab-snap-libvirt-");
    await fs.chmod(dir, 0o755); // qemu (libvirt-qemu) reads the disks
    await Promise.all([domain("alpha"), domain("beta")]);
    labDir = await lab("pair", ["alpha", "beta"]);
  }, 180_000);

  afterAll(async () => {
    for (const name of ["alpha", "beta", "rawdisk", "shared"]) {
      await virsh("destroy", `${PREFIX}-${name}`);
      await virsh("undefine", `${PREFIX}-${name}`, "--snapshots-metadata");
    }
    await fs.remove(dir);
  }, 120_000);

  test("save keeps each machine's running state; a second save of the name is refused, --force replaces it", async () => {
    const started = Date.now();
    const save = await cli(["snapshot", "save", "one", "--json"]);
    expect(save.exitCode).toBe(0);
    console.log(`snapshot save of 2 tiny domains: ${Date.now() - started} ms (CLI included)`);
    expect(JSON.parse(save.stdout)).toMatchObject({ lab: "pair", action: "save", snapshot: "one", replaced: false, machines: ["alpha", "beta"] });
    for (const m of ["alpha", "beta"]) {
      const xml = (await virsh("snapshot-dumpxml", uuids.get(m)!, "one")).stdout;
      expect(xml).toContain("<state>running</state>");
      expect(xml).toContain("<memory snapshot='internal'/>");
    }
    const record = await fs.readJson(path.join(labDir, ".kvm-lab", "snapshots.json"));
    expect(record.snapshots).toEqual([expect.objectContaining({ name: "one", provider: "libvirt", machines: ["alpha", "beta"], configDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })]);
    const again = await cli(["snapshot", "save", "one"]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('lab pair already has a snapshot "one"');
    expect(again.stderr).toContain("--force");
    const forced = await cli(["snapshot", "save", "one", "--force"]);
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toMatch(/^replaced snapshot "one" of lab pair: alpha, beta/);
    expect((await virsh("snapshot-list", uuids.get("alpha")!, "--name")).stdout.trim()).toBe("one"); // replaced, not added
  }, 120_000);

  test("vagrant snapshot list shows them: the same internal snapshots vagrant-libvirt makes (driver.rb list_snapshots)", async () => {
    expect((await cli(["render"])).exitCode).toBe(0);
    const listed = await execa("vagrant", ["snapshot", "list", "alpha"], { cwd: labDir, env: { VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1" }, reject: false, stdin: "ignore" });
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toMatch(/^one$/m);
  }, 120_000);

  test("restore brings back the running state without a boot: a domain powered off after the save runs again", async () => {
    await virsh("destroy", uuids.get("alpha")!);
    expect(await state("alpha")).toBe("shut off");
    const started = Date.now();
    const restore = await cli(["snapshot", "restore", "one"]);
    expect(restore.stderr).toBe("");
    expect(restore.exitCode).toBe(0);
    console.log(`snapshot restore of 2 tiny domains: ${Date.now() - started} ms (CLI included)`);
    expect(restore.stdout).toMatch(/^restored snapshot "one" of lab pair: alpha, beta \(\d+(\.\d+)? s\)$/);
    expect(await state("alpha")).toBe("running");
    expect(await state("beta")).toBe("running");
  }, 180_000);

  test("list joins the record with what libvirt holds: a snapshot made by hand is shown, not saved by kvm-lab", async () => {
    const list = await cli(["snapshot", "list", "--json"]);
    expect(list.exitCode).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed.snapshots).toEqual([
      {
        name: "one",
        created: expect.any(String),
        recorded: true,
        configChanged: false,
        complete: true,
        machines: [
          { name: "alpha", present: true, memory: true, note: null },
          { name: "beta", present: true, memory: true, note: null },
        ],
      },
    ]);
    await virsh("snapshot-create-as", uuids.get("beta")!, "--name", "by-hand");
    const table = await cli(["snapshot", "list"]);
    expect(table.stdout).toMatch(/^one +\S+ +alpha, beta +ok$/m);
    expect(table.stdout).toMatch(/^by-hand +- +beta +not saved by kvm-lab$/m);
    await virsh("snapshot-delete", uuids.get("beta")!, "by-hand");
  }, 60_000);

  test("restore of an unknown name names the known ones; delete removes the snapshot from every machine and the record", async () => {
    const unknown = await cli(["snapshot", "restore", "nope"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('lab pair has no snapshot "nope"');
    expect(unknown.stderr).toContain("its snapshots: one");
    const removed = await cli(["snapshot", "delete", "one"]);
    expect(removed.exitCode).toBe(0);
    expect(removed.stdout).toMatch(/^deleted snapshot "one" of lab pair: alpha/);
    expect((await virsh("snapshot-list", uuids.get("alpha")!, "--name")).stdout.trim()).toBe("");
    expect((await fs.readJson(path.join(labDir, ".kvm-lab", "snapshots.json"))).snapshots).toEqual([]);
    const reset = await cli(["reset"]);
    expect(reset.exitCode).toBe(2);
    expect(reset.stderr).toContain("run kvm-lab test --reuse or kvm-lab snapshot save clean");
  }, 60_000);

  test("machines whose snapshot cannot keep memory are all named with the cause and the fix (raw disk, virtiofs share)", async () => {
    await Promise.all([domain("rawdisk", "raw"), domain("shared", "virtiofs")]);
    const mixed = await lab("mixed", ["alpha", "rawdisk", "shared"]);
    const save = await cli(["snapshot", "save", "--json"], mixed);
    expect(save.exitCode).toBe(4);
    const error = JSON.parse(save.stdout).error;
    expect(error.message).toContain("failed on 2 of 3 machines");
    expect(error.message).toContain("done on: alpha");
    expect(error.problems).toEqual([
      { path: "rawdisk", message: expect.stringContaining("disk vda is raw, and internal snapshots need qcow2 disks"), fix: expect.stringContaining("qcow2") },
      { path: "shared", message: expect.stringContaining("QEMU cannot save the memory of a machine with a 9p or virtiofs shared folder"), fix: expect.stringContaining('"rsync" or "nfs"') },
    ]);
    // Not recorded: a lab snapshot is one every machine holds.
    expect(await fs.pathExists(path.join(mixed, ".kvm-lab", "snapshots.json"))).toBe(false);
  }, 180_000);
  test("test --reuse when the config changed since the clean snapshot: destroy, up, and a new clean snapshot for the new config", async () => {
    // The machine is the alpha domain; vagrant and ssh are the fakes (test/support/fakes): the
    // stand-in guest answers the checks, the fake vagrant's log shows what vagrant was asked.
    // The unchanged config's restore, first and second run, is proved on a booted lab by test/e2e/network.test.ts.
    const fakes = path.join(ROOT, "test", "support", "fakes");
    uuids.set("good", uuids.get("alpha")!);
    const at = await lab("reuse", ["good"]);
    const log = path.join(dir, "reuse-vagrant.log");
    const env = { KVM_LAB_VAGRANT: path.join(fakes, "vagrant"), KVM_LAB_QEMU: path.join(fakes, "guest", "bin", "qemu-system-x86_64"), FAKE_LOG: log, PATH: `${fakes}:${process.env.PATH}` };
    expect((await cli(["snapshot", "save", "clean"], at)).exitCode).toBe(0);
    // The config changes: said so, destroyed, brought up, a new clean snapshot saved for the new config.
    const config = await fs.readJson(path.join(at, "kvm-lab.config.json"));
    await fs.writeJson(path.join(at, "kvm-lab.config.json"), { ...config, machines: [{ name: "good", memory: 1536 }] });
    const before = (await fs.readJson(path.join(at, ".kvm-lab", "snapshots.json"))).snapshots[0];
    const afresh = await kvmLab(["test", "--reuse", "--allow-overcommit"], { cwd: at, env });
    expect(afresh.stderr).toContain(`--reuse: the config changed since the "clean" snapshot (saved ${before.created}): bringing the lab up afresh, then saving the "clean" snapshot`);
    expect(afresh.stderr).toContain('--reuse: saved the "clean" snapshot of good; the next test --reuse restores it');
    expect(afresh.exitCode).toBe(0);
    const order = (await fs.readFile(log, "utf8")).split("\n").filter((c) => /^(up|destroy)/.test(c)).map((c) => c.split(" ")[0]);
    expect(order).toEqual(["destroy", "up"]);
    const after = (await fs.readJson(path.join(at, ".kvm-lab", "snapshots.json"))).snapshots[0];
    expect(after.configDigest).not.toBe(before.configDigest);
  }, 240_000);
});
