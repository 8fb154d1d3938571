// One VirtualBox machine through the VBoxManage twin, driven by Vagrant's own commands
// beyond up and destroy: snapshot save, list and restore (an online snapshot: the restore
// resumes the saved memory, no boot), halt (the guest powers itself off; the twin finds
// QEMU gone), up again from powered off, snapshot delete, destroy; nothing left after.
import { execa } from "execa";
import fs from "fs-extra";
import { addBox, buildTestBox, cannotBootVms, e2eAccel, kvmLabInNetns, labDir, testNetns, vagrantInNetns } from "../support/e2e.js";
import { makeTwin, twinLeftovers, type Twin } from "../support/twin.js";

const skip = cannotBootVms();
if (skip) process.stderr.write(`e2e virtualbox lifecycle: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;
const MINUTES = 60_000;

maybe("a VirtualBox machine's life through Vagrant and the twin: snapshots, halt, up again", () => {
  let dir: string;
  let twin: Twin;
  const netns = testNetns().netns!;
  const vagrant = (...args: string[]) => vagrantInNetns(args, dir, 15 * MINUTES, twin.env);
  const inGuest = async (command: string) => {
    const run = await vagrant("ssh", "solo", "-c", command);
    expect(run.exitCode).toBe(0);
    return run.stdout.trim();
  };

  beforeAll(async () => {
    const minimal = await buildTestBox("debian-13-minimal");
    await addBox(minimal.catalog, "virtualbox");
    twin = await makeTwin(netns, { accel: e2eAccel() });
    dir = await labDir(
      "kvm-lab-e2e-vbox-life-",
      `import { defineLab } from "kvm-lab";
export default defineLab({
  name: "e2elife",
  provider: "virtualbox",
  syncedFolder: false,
  box: "kvm-lab/debian-13-minimal",
  defaults: { cpus: 1, memory: 768, nested: false },
  networks: { tenant: { mode: "intnet", cidr: "10.10.8.0/24" } },
  machines: [{ name: "solo", nics: [{ network: "tenant", ip: "10.10.8.10" }] }],
});
`,
    );
    expect((await kvmLabInNetns(["render"], dir, 2 * MINUTES, twin.env)).exitCode).toBe(0);
  }, 40 * MINUTES);

  afterAll(async () => {
    if (dir && twin) await vagrant("destroy", "-f");
    if (twin) await twin.cleanup();
    if (dir) await fs.remove(dir);
  }, 10 * MINUTES);

  test("up, an online snapshot, a change, restore: the change is gone and the machine did not boot again", async () => {
    const up = await vagrant("up", "--provider=virtualbox");
    expect(up.exitCode).toBe(0);
    await inGuest("echo before | sudo tee /var/tmp/marker");
    const bootedAt = await inGuest("cat /proc/sys/kernel/random/boot_id");
    expect((await vagrant("snapshot", "save", "solo", "clean")).exitCode).toBe(0);
    expect((await vagrant("snapshot", "list", "solo")).stdout).toContain("clean");
    await inGuest("echo after | sudo tee /var/tmp/marker");
    const restore = await vagrant("snapshot", "restore", "solo", "clean");
    expect(restore.exitCode).toBe(0);
    expect(await inGuest("cat /var/tmp/marker")).toBe("before");
    expect(await inGuest("cat /proc/sys/kernel/random/boot_id")).toBe(bootedAt); // resumed, not rebooted
  }, 30 * MINUTES);

  test("halt powers the guest off, up boots it again, snapshot delete and destroy leave nothing", async () => {
    const halt = await vagrant("halt", "solo");
    expect(halt.exitCode).toBe(0);
    expect((await vagrant("status", "solo")).stdout).toMatch(/solo\s+poweroff \(virtualbox\)/);
    expect((await vagrant("up", "--provider=virtualbox", "solo")).exitCode).toBe(0);
    expect(await inGuest("cat /var/tmp/marker")).toBe("before");
    expect((await vagrant("snapshot", "delete", "solo", "clean")).exitCode).toBe(0);
    expect((await vagrant("snapshot", "list", "solo")).stdout).not.toContain("clean");
    expect((await vagrant("destroy", "-f")).exitCode).toBe(0);
    expect((await execa("VBoxManage", ["list", "vms"], { env: twin.env })).stdout).toBe("");
    expect(await twinLeftovers(netns)).toEqual([]);
  }, 30 * MINUTES);
});
