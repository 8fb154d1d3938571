// The network modes proven live: a three-machine libvirt lab (QEMU software emulation) with
// a host-only, an internal and a NAT network, inside the tests' own network namespace. The
// "outside" is a stand-in the test makes itself: a second namespace joined to the first by
// a veth pair, with a TCP listener on 203.0.113.2; nothing leaves the two namespaces.
// The live matrix must match the expected one, isolation included; then the lab is broken
// on purpose (a machine's NIC moved to the wrong network, the host given an address on the
// internal network) and the check must name what broke in the modes' terms.
// The same lab proves fast re-runs (issue 14): `test --reuse` brings it up and saves the
// clean snapshot, a second `test --reuse` restores it instead of destroy + up; `up` on the
// unchanged lab has nothing to do; a snapshot keeps memory (a file written and a NIC taken
// down after the save are gone after the restore, with no boot in between); the faults of
// snapshots (a lab not up, an unknown name, one machine's snapshot gone); and `diff` names a
// config change (memory, an added NIC) that `up` then applies. nc runs nested with the
// minimal box, which has no QEMU: its kvm-runs goes through the KVM API from perl.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { addBox, buildTestBox, cannotBootVms, e2eAccel, kvmLabInNetns, labDir, libvirtLeftovers, startOutsideStandIn, testNetns, vagrantInNetns, type OutsideStandIn } from "../support/e2e.js";

const skip = cannotBootVms();
if (skip) process.stderr.write(`e2e network: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;
const MINUTES = 60_000;
const NAME = "e2enet";
const OUTSIDE = "203.0.113.2";
const OUTSIDE_PORT = 8080;


/** The lab's config; `changed` gives nc more memory and a NIC on a new internal network. */
function config(changed = false): string {
  return `import { defineLab } from "kvm-lab";
export default defineLab({
  name: "${NAME}",
  provider: "libvirt",
  box: "kvm-lab/debian-13-minimal",
  defaults: { cpus: 1, memory: 768, accel: "${e2eAccel()}", nested: false },
  networks: {
    mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
    tenant: { mode: "intnet", cidr: "10.10.0.0/24" },
    ext: { mode: "natnetwork", cidr: "10.0.5.0/24" },${changed ? `\n    extra: { mode: "intnet", cidr: "10.20.0.0/24" },` : ""}
  },
  machines: [
    { name: "na", nics: [{ network: "mgmt", ip: "192.168.56.10" }, { network: "tenant", ip: "10.10.0.10" }, { network: "ext" }] },
    { name: "nb", nics: [{ network: "mgmt", ip: "192.168.56.11" }, { network: "tenant", ip: "10.10.0.11" }] },
    // Nested, on a box without QEMU: the minimal box gets the kvm module and group access.
    {
      name: "nc",${changed ? " memory: 1024," : ""}
      nested: true,
      nics: [{ network: "mgmt", ip: "192.168.56.12" }, { network: "ext" }${changed ? `, { network: "extra", ip: "10.20.0.12" }` : ""}],
      provision: ["modprobe kvm_amd || modprobe kvm_intel; getent group kvm || groupadd -r kvm; usermod -aG kvm vagrant"],
    },
  ],
  // A network lab: no KVM check decides the exit code of kvm-lab test, the network does.
  checks: { required: [] },
});
`;
}

const virsh = async (...args: string[]) => String((await execa("virsh", ["-c", "qemu:///system", ...args])).stdout);
const inNetns = (netns: string, ...args: string[]) => execa("ip", ["netns", "exec", netns, ...args]);

interface Pair {
  id: string;
  expected: boolean;
  actual: boolean | null;
  status: string;
  explanation: string;
}

maybe("network modes, live: host-only, internal and NAT network on libvirt", () => {
  let dir: string;
  let outside: OutsideStandIn | undefined;

  beforeAll(async () => {
    const minimal = await buildTestBox("debian-13-minimal");
    await addBox(minimal.catalog, "libvirt");
    outside = await startOutsideStandIn({ name: `kvmlab-out-${process.pid}`, hostSide: `kvo${process.pid % 100000}`, hostAddress: "203.0.113.1", address: OUTSIDE, port: OUTSIDE_PORT });
    dir = await labDir("kvm-lab-e2e-net-", config());
  }, 40 * MINUTES);

  afterAll(async () => {
    if (dir) {
      await kvmLabInNetns(["destroy"], dir, 5 * MINUTES);
      await fs.remove(dir);
    }
    await outside?.stop();
  }, 10 * MINUTES);

  test("plan --matrix names the pairs, the isolated ones included", async () => {
    const plan = await kvmLabInNetns(["plan", "--matrix", "--json"], dir, 2 * MINUTES);
    expect(plan.exitCode).toBe(0);
    const pairs = JSON.parse(plan.stdout).pairs as { id: string; expected: boolean }[];
    const expected = Object.fromEntries(pairs.map((p) => [p.id, p.expected]));
    expect(expected).toMatchObject({
      "na -> nb @tenant": true,
      "nc -> nb @tenant": false,
      "host -> na @tenant": false,
      "na -> host @tenant": false,
      "host -> na @ext": true, // libvirt differs from VirtualBox here, and says so
      "nb -> na @ext": false,
      "na -> outside via ext": true,
      "na -> outside via mgmt": false,
    });
  });

  test("a snapshot of a lab that is not up names each machine and the fix", async () => {
    const save = await kvmLabInNetns(["snapshot", "save", "before"], dir, 2 * MINUTES);
    expect(save.exitCode).toBe(4);
    for (const machine of ["na", "nb", "nc"]) expect(save.stderr).toContain(machine);
    expect(save.stderr).toContain("kvm-lab up");
  }, 5 * MINUTES);

  test("test --reuse, first run: the three machines up, the clean snapshot saved, checked, kept", async () => {
    const run = await kvmLabInNetns(["test", "--reuse", "--json"], dir, 25 * MINUTES);
    expect(run.stderr).toContain("--reuse: first run");
    expect(run.stderr).toMatch(/--reuse: saved the "clean" snapshot of na, nb, nc/);
    expect(run.stderr).not.toContain("destroying the lab's machines");
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.machines.map((m: { machine: string }) => m.machine)).toEqual(["na", "nb", "nc"]);
    // nc: nested, and no QEMU in the box: the KVM API probe (perl) ran a guest under its KVM.
    const nc = report.machines[2].checks.find((c: { id: string }) => c.id === "kvm-runs");
    expect(nc).toMatchObject({ status: "pass" });
    expect(nc.evidence).toMatch(/^KVM API probe \(perl\): KVM_RUN exited KVM_EXIT_IO/);
    const status = await kvmLabInNetns(["status"], dir, 2 * MINUTES);
    for (const machine of ["na", "nb", "nc"]) expect(status.stdout).toMatch(new RegExp(`^${machine} +running$`, "m"));
  }, 30 * MINUTES);

  test("check --network: every pair as expected, reachable and isolated alike", async () => {
    const junit = path.join(dir, "network.xml");
    const check = await kvmLabInNetns(["check", "--network", "--json", "--junit", junit, "--outside", `${OUTSIDE}:${OUTSIDE_PORT}`], dir, 10 * MINUTES);
    const report = JSON.parse(check.stdout);
    const failed = (report.pairs as Pair[]).filter((p) => p.status !== "pass");
    expect(failed).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(check.exitCode).toBe(0);
    const actual = Object.fromEntries((report.pairs as Pair[]).map((p) => [p.id, p.actual]));
    expect(actual).toMatchObject({
      "na -> nb @tenant": true,
      "nb -> na @tenant": true,
      "nc -> na @tenant": false,
      "nc -> nb @tenant": false,
      "host -> nb @tenant": false,
      "nb -> host @tenant": false,
      "na -> nc @ext": true,
      "nb -> nc @ext": false,
      "host -> nc @ext": true,
      "nc -> host @mgmt": true,
      "na -> outside via nic1": true,
      "na -> outside via ext": true,
      "na -> outside via tenant": false,
      "nb -> outside via mgmt": false,
    });
    const ext = (report.pairs as (Pair & { address: string })[]).find((p) => p.id === "na -> nc @ext")!;
    expect(ext.address).toMatch(/^10\.0\.5\.\d+$/); // found by DHCP, inside the guest
    await execa("xmllint", ["--noout", junit]);
    expect((await fs.readFile(junit, "utf8")).match(/<testcase /g)!.length).toBe(report.pairs.length);
  }, 15 * MINUTES);

  /** A command's output on a machine, over vagrant ssh. */
  async function on(machine: string, command: string): Promise<string> {
    const run = await vagrantInNetns(["ssh", machine, "-c", command], dir, 3 * MINUTES);
    expect(run.exitCode).toBe(0);
    return run.stdout.trim();
  }
  const domainOf = async (machine: string) => (await fs.readFile(path.join(dir, ".vagrant", "machines", machine, "libvirt", "id"), "utf8")).trim();

  test("up on the unchanged lab has nothing to do, and diff agrees", async () => {
    const up = await kvmLabInNetns(["up"], dir, 5 * MINUTES);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toBe("nothing to do: 3 machines up and matching the config");
    const diff = await kvmLabInNetns(["diff"], dir, 2 * MINUTES);
    expect(diff.exitCode).toBe(0);
  }, 10 * MINUTES);

  test("a restore drops a file and a NIC's state made after the save, without a boot", async () => {
    const bootId = await on("na", "cat /proc/sys/kernel/random/boot_id");
    const uptimeAtSave = Number(await on("na", "cut -d' ' -f1 /proc/uptime"));
    const save = await kvmLabInNetns(["snapshot", "save", "s1"], dir, 10 * MINUTES);
    expect(save.exitCode).toBe(0);
    const nic = await on("na", "ip -o -4 addr show | awk '/10\\.10\\.0\\.10\\// {print $2}'");
    expect(nic).toMatch(/^\w+$/);
    await on("na", `echo after | sudo tee /var/tmp/kvm-lab-after && sudo ip link set ${nic} down`);
    expect(await on("na", `cat /sys/class/net/${nic}/operstate`)).toBe("down");
    const restore = await kvmLabInNetns(["snapshot", "restore", "s1"], dir, 10 * MINUTES);
    expect(restore.exitCode).toBe(0);
    expect(await on("na", "test -e /var/tmp/kvm-lab-after && echo kept || echo gone")).toBe("gone");
    expect(await on("na", `cat /sys/class/net/${nic}/operstate`)).toBe("up");
    expect(await on("na", "cat /proc/sys/kernel/random/boot_id")).toBe(bootId);
    expect(Number(await on("na", "cut -d' ' -f1 /proc/uptime"))).toBeGreaterThanOrEqual(uptimeAtSave);
  }, 20 * MINUTES);

  test("snapshot faults: an unknown name; one machine's snapshot gone half-way", async () => {
    const unknown = await kvmLabInNetns(["snapshot", "restore", "nosuch"], dir, 2 * MINUTES);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("nosuch");
    expect(unknown.stderr).toContain("s1");
    // nb's snapshot deleted behind kvm-lab's back: na and nc are still restored, nb is named.
    await virsh("snapshot-delete", await domainOf("nb"), "s1");
    await on("na", "echo after | sudo tee /var/tmp/kvm-lab-after");
    const restore = await kvmLabInNetns(["snapshot", "restore", "s1"], dir, 10 * MINUTES);
    expect(restore.exitCode).toBe(4);
    expect(restore.stderr).toMatch(/failed on 1 of 3 machines/);
    expect(restore.stderr).toMatch(/nb/);
    expect(await on("na", "test -e /var/tmp/kvm-lab-after && echo kept || echo gone")).toBe("gone");
    expect((await kvmLabInNetns(["snapshot", "delete", "s1"], dir, 5 * MINUTES)).exitCode).toBe(0);
  }, 20 * MINUTES);

  test("test --reuse, second run: the clean snapshot restored instead of destroy + up", async () => {
    await on("na", "echo dirty | sudo tee /var/tmp/kvm-lab-dirty");
    const run = await kvmLabInNetns(["test", "--reuse", "--network", "--outside", `${OUTSIDE}:${OUTSIDE_PORT}`], dir, 15 * MINUTES);
    expect(run.stderr).toMatch(/--reuse: restored the "clean" snapshot of na, nb, nc/);
    expect(run.stderr).not.toMatch(/destroying|Machine booted/);
    expect(run.exitCode).toBe(0);
    expect(await on("na", "test -e /var/tmp/kvm-lab-dirty && echo dirty || echo clean")).toBe("clean");
  }, 20 * MINUTES);

  test("diff names a memory change and an added NIC; up applies them, then has nothing to do", async () => {
    await fs.writeFile(path.join(dir, "kvm-lab.config.ts"), config(true));
    const diff = await kvmLabInNetns(["diff", "--json"], dir, 2 * MINUTES);
    expect(diff.exitCode).toBe(10);
    const nc = JSON.parse(diff.stdout).machines.find((m: { name: string }) => m.name === "nc");
    expect(nc.action).toBe("recreate"); // vagrant-libvirt adds NICs only when it creates a domain
    expect(nc.changes.map((c: { key: string; type: string }) => `${c.key} ${c.type}`)).toEqual(expect.arrayContaining(["hardware changed", "nic4 added"]));
    for (const other of ["na", "nb"]) expect(JSON.parse(diff.stdout).machines.find((m: { name: string }) => m.name === other).action).toBe("none");
    const up = await kvmLabInNetns(["up"], dir, 20 * MINUTES);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toBe("up: nc");
    expect(Number(await on("nc", "awk '/MemTotal/ {print $2}' /proc/meminfo"))).toBeGreaterThan(900 * 1024);
    expect(await on("nc", "ip -o -4 addr show | grep -c '10\\.20\\.0\\.12/'")).toBe("1");
    const again = await kvmLabInNetns(["up"], dir, 5 * MINUTES);
    expect(again.stdout).toBe("nothing to do: 3 machines up and matching the config");
  }, 30 * MINUTES);

  test("broken on purpose: a NIC on the wrong network and a host address on the internal one are caught", async () => {
    // 1. Move nc's host-only NIC onto the internal network, live.
    const domain = (await virsh("list", "--name")).split("\n").find((d) => d.trim().endsWith("_nc"))!.trim();
    const live = (await virsh("dumpxml", domain)).match(/<interface type='network'>[\s\S]*?<\/interface>/g)!;
    const nic = live.find((x) => x.includes(`network='${NAME}-mgmt'`))!;
    const xml = path.join(dir, "moved-nic.xml");
    await fs.writeFile(xml, nic.replace(/<source [^>]*\/>/, `<source network='${NAME}-tenant'/>`));
    await virsh("update-device", domain, xml, "--live");
    // 2. Give the host an address on the internal network's bridge.
    const bridge = (await virsh("net-info", `${NAME}-tenant`)).match(/^Bridge:\s+(\S+)/m)![1];
    await inNetns(testNetns().netns!, "ip", "addr", "add", "10.10.0.1/24", "dev", bridge);

    const check = await kvmLabInNetns(["check", "--network", "--outside", `${OUTSIDE}:${OUTSIDE_PORT}`], dir, 10 * MINUTES);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain("intnet 'tenant': host reached na at 10.10.0.10, but internal networks do not include the host");
    expect(check.stdout).toContain("intnet 'tenant': na reached the host at 10.10.0.1, but internal networks do not include the host");
    expect(check.stdout).toMatch(/hostonly 'mgmt': host could not reach nc at 192\.168\.56\.12, but a host-only network includes the host/);
    expect(check.stdout).toMatch(/hostonly 'mgmt': na could not reach nc at 192\.168\.56\.12, but machines on the same host-only network reach each other/);
    expect(check.stdout).toMatch(/FAILED/);
  }, 15 * MINUTES);

  test("kvm-lab test --network on the broken lab: both reports, exit 1 for the network, the lab destroyed", async () => {
    const junit = path.join(dir, "test.xml");
    const run = await kvmLabInNetns(["test", "--network", "--outside", `${OUTSIDE}:${OUTSIDE_PORT}`, "--junit", junit], dir, 20 * MINUTES);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("na passed"); // the KVM checks (none required here)
    expect(run.stdout).toContain("intnet 'tenant': host reached na at 10.10.0.10, but internal networks do not include the host");
    expect(run.stderr).toContain("destroying the lab's machines");
    await execa("xmllint", ["--noout", junit]);
    const xml = await fs.readFile(junit, "utf8");
    expect(xml).toContain(`<testsuite name="${NAME}.na"`);
    expect(xml).toContain(`<testsuite name="${NAME}.network"`);
    expect(await libvirtLeftovers(NAME)).toEqual([]);
  }, 25 * MINUTES);
});
