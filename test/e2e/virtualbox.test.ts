// The VirtualBox path, end to end, through the VBoxManage twin (test/support/vbox-twin):
// Debian's real vagrant and its real VirtualBox provider, the twin strict as VBoxManage is,
// real guests booted under QEMU inside the tests' own network namespace. A three-machine
// lab with a host-only, an internal and a NAT Network, a NIC bridged to the "LAN" (a bridge
// in the tests' namespace that leads to the outside stand-in), a second NAT, a "not
// attached" NIC and an unplugged cable; two machines with nested virtualization on (the
// KVM box), one with it off. `kvm-lab test --network` must fail for the nested-off machine alone, find
// every network pair as `plan --matrix` says, and leave nothing behind. Then the same
// lab's command lines against VirtualBox 6.1, 7.0 and 7.1 on Linux, Windows and macOS.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { addBox, buildTestBox, cannotBootVms, e2eAccel, kvmLabInNetns, labDir, startOutsideStandIn, testNetns, vagrantInNetns, type OutsideStandIn } from "../support/e2e.js";
import { makeTwin, refusedBy, twinLeftovers, type Twin, type TwinHost, type TwinVersion } from "../support/twin.js";

const skip = cannotBootVms();
if (skip) process.stderr.write(`e2e virtualbox: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;
const MINUTES = 60_000;
const NAME = "e2evbox";
// Blocks of their own, so this lab never meets the libvirt tests' networks in the namespace.
const OUTSIDE = "198.51.100.2";
const OUTSIDE_PORT = 8080;
/** The host's LAN: a bridge in the tests' namespace holding 198.51.100.1, a veth from it to the outside stand-in. */
const LAN = `kvb${process.pid % 100000}`;

const CONFIG = `import { defineLab } from "kvm-lab";
export default defineLab({
  name: "${NAME}",
  provider: "virtualbox",
  syncedFolder: false, // the twin's guests run no Guest Additions
  defaults: { cpus: 1, memory: 768 },
  networks: {
    mgmt: { mode: "hostonly", cidr: "192.168.59.0/24" },
    tenant: { mode: "intnet", cidr: "10.10.9.0/24" },
    ext: { mode: "natnetwork", cidr: "10.0.9.0/24" },
    lan: { mode: "bridged", bridge: "${LAN}", cidr: "198.51.100.0/24" },
  },
  machines: [
    { name: "kvmhost", box: "kvm-lab/debian-13-kvm", memory: 1024,
      nics: [{ network: "mgmt", ip: "192.168.59.10" }, { network: "tenant", ip: "10.10.9.10" }, { network: "ext", ip: "10.0.9.200" }] },
    { name: "nokvm", box: "kvm-lab/debian-13-minimal", nested: false,
      nics: [{ network: "tenant", ip: "10.10.9.11" }, { mode: "nat", cidr: "10.0.7.0/24", forwards: [{ guest: 22, host: 2288 }], capture: true }, { mode: "null" }] },
    { name: "edge", box: "kvm-lab/debian-13-kvm", memory: 1024,
      nics: [{ network: "mgmt", ip: "192.168.59.12" }, { network: "tenant", ip: "10.10.9.12", cable: false }, { network: "ext" },
        { network: "lan", ip: "198.51.100.20" }] },
  ],
});
`;

interface Pair {
  id: string;
  address?: string;
  expected: boolean;
  actual: boolean | null;
  status: string;
}

// Shared by both groups: the boxes, and the host's LAN with the outside stand-in on it.
let outside: OutsideStandIn | undefined;

beforeAll(async () => {
  if (skip) return;
  const kvm = await buildTestBox("debian-13-kvm");
  const minimal = await buildTestBox("debian-13-minimal");
  await addBox(kvm.catalog, "virtualbox");
  await addBox(minimal.catalog, "virtualbox");
  outside = await startOutsideStandIn({ name: `kvmlab-vout-${process.pid}`, hostSide: `kvv${process.pid % 100000}`, bridge: LAN, hostAddress: "198.51.100.1", address: OUTSIDE, port: OUTSIDE_PORT });
}, 40 * MINUTES);

afterAll(async () => {
  await outside?.stop();
});

maybe("VirtualBox through the VBoxManage twin", () => {
  let dir: string;
  let twin: Twin;
  const netns = testNetns().netns!;

  beforeAll(async () => {
    twin = await makeTwin(netns, { accel: e2eAccel() });
    dir = await labDir("kvm-lab-e2e-vbox-", CONFIG);
  }, 5 * MINUTES);

  afterAll(async () => {
    if (dir && twin) await kvmLabInNetns(["destroy"], dir, 5 * MINUTES, twin.env);
    if (twin) {
      const stillRunning = await twin.cleanup();
      if (stillRunning.length) process.stderr.write(`e2e virtualbox: the twin cleanup stopped ${stillRunning.join(", ")}\n`);
    }
    if (dir) await fs.remove(dir);
  }, 10 * MINUTES);

  let expected: Record<string, boolean>;

  test("plan --matrix: VirtualBox's verdicts, the unplugged cable included", async () => {
    const plan = await kvmLabInNetns(["plan", "--matrix", "--json"], dir, 2 * MINUTES, twin.env);
    expect(plan.exitCode).toBe(0);
    const pairs = JSON.parse(plan.stdout).pairs as { id: string; expected: boolean }[];
    expected = Object.fromEntries(pairs.map((p) => [p.id, p.expected]));
    expect(expected).toMatchObject({
      "kvmhost -> edge @mgmt": true,
      "nokvm -> kvmhost @mgmt": true, // through nokvm's NAT, which leaves as the host's own
      "kvmhost -> edge @tenant": false, // edge's cable is unplugged
      "nokvm -> kvmhost @ext": false,
      "host -> kvmhost @ext": false, // VirtualBox: the host reaches a NAT Network only by forwards
      "kvmhost -> host @ext": true,
      "nokvm -> host @nokvm.nic3": true,
      "host -> nokvm @nokvm.nic3": false,
      "nokvm -> outside via nokvm.nic3": true,
      "kvmhost -> outside via mgmt": false,
      "edge -> host @lan": true, // a bridged machine shares the host's LAN
      "host -> edge @lan": true,
      "edge -> outside via lan": true,
    });
  });

  test("kvm-lab test --network: exit 1 for the nested-off machine alone, every pair as planned, nothing left", async () => {
    const junit = path.join(dir, "report.xml");
    const run = await kvmLabInNetns(["test", "--network", "--json", "--junit", junit, "--outside", `${OUTSIDE}:${OUTSIDE_PORT}`], dir, 45 * MINUTES, twin.env);
    expect(run.stderr).toContain("host: vagrant 2.");
    expect(run.stderr).toContain("virtualbox 7.0.");
    const report = JSON.parse(run.stdout);
    // 1. The KVM checks: the nested machines pass all eight, the nested-off one fails cpu-flags with its cause.
    const machines = Object.fromEntries((report.checks.machines as { machine: string; passed: boolean; checks: { id: string; status: string; cause?: string }[] }[]).map((m) => [m.machine, m]));
    expect(machines.kvmhost.passed).toBe(true);
    expect(machines.edge.passed).toBe(true);
    for (const machine of [machines.kvmhost, machines.edge]) expect(machine.checks.filter((c) => c.status !== "pass").map((c) => c.id)).toEqual([]);
    expect(machines.nokvm.passed).toBe(false);
    const cpuFlags = machines.nokvm.checks.find((c) => c.id === "cpu-flags")!;
    expect(cpuFlags.status).toBe("fail");
    expect(cpuFlags.cause).toContain("does not pass VT-x/AMD-V");
    // 2. The network: every pair probed is as plan --matrix says; the unplugged NIC has no address to leave by.
    const pairs = report.network.pairs as Pair[];
    expect(pairs.filter((p) => p.status === "fail").map((p) => p.id)).toEqual([]);
    for (const pair of pairs.filter((p) => p.status === "pass")) expect([pair.id, pair.actual]).toEqual([pair.id, expected[pair.id]]);
    expect(pairs.filter((p) => p.status === "skip").map((p) => p.id)).toEqual(["edge -> outside via tenant"]);
    expect(pairs.filter((p) => p.status === "pass").length).toBeGreaterThanOrEqual(40);
    expect(run.exitCode).toBe(1);
    // 3. One JUnit file for both, valid.
    await execa("xmllint", ["--noout", junit]);
    const xml = await fs.readFile(junit, "utf8");
    expect(xml).toContain(`<testsuite name="${NAME}.nokvm"`);
    expect(xml).toContain(`<testsuite name="${NAME}.network"`);
    // 4. Up went one machine at a time: each machine imported only after the one before it booted.
    const calls = await twin.calls();
    // Vagrant names each imported VM "<folder>_<machine>_<time>_<random>" (modifyvm --name).
    const order = calls.filter((c) => c.argv[0] === "modifyvm" && c.argv[2] === "--name").map((c) => /_(kvmhost|nokvm|edge)_\d+_\d+$/.exec(c.argv[3])?.[1]);
    expect(order).toEqual(["kvmhost", "nokvm", "edge"]);
    const events = calls.map((c) => (c.argv[0] === "import" && !c.argv.includes("-n") ? "import" : c.argv[0] === "startvm" ? "start" : "")).filter(Boolean);
    expect(events).toEqual(["import", "start", "import", "start", "import", "start"]);
    for (const machine of ["kvmhost", "nokvm", "edge"]) {
      const log = await fs.readFile(path.join(dir, ".kvm-lab", "logs", `${machine}.log`), "utf8");
      expect(log).toContain("Machine booted and ready!");
      // The NICs Vagrant leaves alone, set up in the guest by MAC (the box runs systemd-networkd).
      expect(log).toContain("kvm-lab: configured with networkd:");
    }
    // The fixed address on the NAT Network came from that guest script: probed there.
    expect(pairs.find((p) => p.id === "edge -> kvmhost @ext")).toMatchObject({ address: "10.0.9.200", status: "pass" });
    // 5. nokvm's second NAT: its forward and its packet capture (a pcap written while the lab ran).
    expect(calls.some((c) => c.argv.includes("--natpf3") && c.argv.includes("tcp2288-22,tcp,127.0.0.1,2288,,22"))).toBe(true);
    const pcap = await fs.readFile(path.join(dir, ".kvm-lab", "captures", "nokvm-nic3.pcap"));
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4); // the pcap magic
    expect(pcap.length).toBeGreaterThan(24 + 16); // the header and at least one packet (the guest's DHCP)
    // 6. Every call the lab made was one VBoxManage 7.0 accepts.
    expect(calls.filter((c) => c.refused?.startsWith("rejected"))).toEqual([]);
    // 7. Destroyed, and nothing left: no VM registered, no QEMU, bridge, tap or namespace of the twin's.
    expect(run.stderr).toContain("destroying the lab's machines");
    const vms = await execa("VBoxManage", ["list", "vms"], { env: twin.env });
    expect(vms.stdout).toBe("");
    expect(await twinLeftovers(netns)).toEqual([]);
  }, 60 * MINUTES);
});

// The lab's command lines up to the first boot, on every VirtualBox and host the twin plays:
// each machine's `vagrant up` runs import, networks, forwards and customize lines, and stops
// at startvm (KVMLAB_TWIN_STOP_AT). Vagrant 2.3.4 has no driver for VirtualBox 7.1: kvm-lab
// says so before anything runs, and the 7.0 run's command lines are replayed against 7.1.
maybe("the same lab on VirtualBox 6.1, 7.0 and 7.1, on Linux, Windows and macOS", () => {
  let dir: string;
  const netns = testNetns().netns!;
  const seen = new Map<string, string[][]>();

  beforeAll(async () => {
    dir = await labDir("kvm-lab-e2e-vbox-grammar-", CONFIG);
    const twin = await makeTwin(netns);
    const render = await kvmLabInNetns(["render"], dir, 2 * MINUTES, twin.env);
    expect(render.exitCode).toBe(0);
    await fs.remove(twin.home);
  }, 10 * MINUTES);

  afterAll(() => (dir ? fs.remove(dir) : undefined));

  const combos: [TwinVersion, TwinHost][] = [
    ["6.1", "linux"],
    ["6.1", "windows"],
    ["6.1", "darwin"],
    ["7.0", "linux"],
    ["7.0", "windows"],
    ["7.0", "darwin"],
  ];
  test.each(combos)("VirtualBox %s on %s accepts every command line up to the first boot", async (version, host) => {
    const twin = await makeTwin(netns, { version, host, env: { KVMLAB_TWIN_STOP_AT: "startvm" } });
    await fs.remove(path.join(dir, ".vagrant")); // machine ids of the run before, in another twin
    try {
      for (const machine of ["kvmhost", "nokvm", "edge"]) {
        const up = await vagrantInNetns(["up", "--provider=virtualbox", machine], dir, 5 * MINUTES, twin.env);
        expect(up.stderr).toContain(`twin: stopped before booting`);
        expect(up.stderr).toContain("Running 'pre-boot' VM customizations...");
      }
      const calls = await twin.calls();
      expect(calls.filter((c) => c.refused?.startsWith("rejected"))).toEqual([]);
      const customized = calls.filter((c) => c.argv[0] === "modifyvm").map((c) => c.argv.slice(2).join(" "));
      expect(customized).toEqual(expect.arrayContaining(["--nested-hw-virt on", "--nested-hw-virt off", "--nic3 nat --natnet3 10.0.7.0/24", "--nic4 null", "--cableconnected3 off"]));
      expect(customized.some((line) => line.startsWith("--nic4 natnetwork --natnetwork4 e2evbox-ext"))).toBe(true);
      expect(calls.some((c) => c.argv[0] === "modifyvm" && c.argv.includes("--bridgeadapter5") && c.argv.includes(LAN))).toBe(true);
      // The host's loopback at 10.0.x.2: opted into on 7.0 (which made it opt-in), never passed to 6.1 (which has no such option).
      expect(customized.includes("--nat-localhostreachable1 on")).toBe(version !== "6.1");
      seen.set(`${version}/${host}`, calls.map((c) => c.argv));
    } finally {
      await twin.cleanup();
    }
  }, 20 * MINUTES);

  test("VirtualBox 7.1: kvm-lab names the Vagrant it needs; the lab's command lines are all 7.1 accepts", async () => {
    const twin = await makeTwin(netns, { version: "7.1" });
    // Machine ids of the runs before belong to other twins: up would ask this one about them (showvminfo) before the version check.
    await fs.remove(path.join(dir, ".vagrant"));
    try {
      const up = await kvmLabInNetns(["up"], dir, 5 * MINUTES, twin.env);
      expect(up.exitCode).toBe(3);
      expect(up.stderr).toContain("vagrant 2.3.4 has no driver for VirtualBox 7.1.4: it needs Vagrant 2.4.3 or later");
      expect((await twin.calls()).filter((c) => c.argv[0] !== "--version")).toEqual([]);
    } finally {
      await twin.cleanup();
    }
    const calls = seen.get("7.0/linux");
    expect(calls).toBeDefined();
    for (const host of ["linux", "windows", "darwin"] as const) expect(await refusedBy(calls!, "7.1", host)).toEqual([]);
  }, 10 * MINUTES);
});
