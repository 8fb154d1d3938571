// The network modes proven live: a three-machine libvirt lab (QEMU software emulation) with
// a host-only, an internal and a NAT network, inside the tests' own network namespace. The
// "outside" is a stand-in the test makes itself: a second namespace joined to the first by
// a veth pair, with a TCP listener on 203.0.113.2; nothing leaves the two namespaces.
// The live matrix must match the expected one, isolation included; then the lab is broken
// on purpose (a machine's NIC moved to the wrong network, the host given an address on the
// internal network) and the check must name what broke in the modes' terms.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { addBox, buildTestBox, cannotBootVms, e2eAccel, kvmLabInNetns, labDir, libvirtLeftovers, startOutsideStandIn, testNetns, type OutsideStandIn } from "../support/e2e.js";

const skip = cannotBootVms();
if (skip) process.stderr.write(`e2e network: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;
const MINUTES = 60_000;
const NAME = "e2enet";
const OUTSIDE = "203.0.113.2";
const OUTSIDE_PORT = 8080;


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
    const minimal = await buildTestBox("debian-12-minimal");
    await addBox(minimal.catalog, "libvirt");
    outside = await startOutsideStandIn({ name: `kvmlab-out-${process.pid}`, hostSide: `kvo${process.pid % 100000}`, hostAddress: "203.0.113.1", address: OUTSIDE, port: OUTSIDE_PORT });
    dir = await labDir(
      "kvm-lab-e2e-net-",
      `import { defineLab } from "kvm-lab";
export default defineLab({
  name: "${NAME}",
  provider: "libvirt",
  box: "kvm-lab/debian-12-minimal",
  defaults: { cpus: 1, memory: 768, accel: "${e2eAccel()}", nested: false },
  networks: {
    mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
    tenant: { mode: "intnet", cidr: "10.10.0.0/24" },
    ext: { mode: "natnetwork", cidr: "10.0.5.0/24" },
  },
  machines: [
    { name: "na", nics: [{ network: "mgmt", ip: "192.168.56.10" }, { network: "tenant", ip: "10.10.0.10" }, { network: "ext" }] },
    { name: "nb", nics: [{ network: "mgmt", ip: "192.168.56.11" }, { network: "tenant", ip: "10.10.0.11" }] },
    { name: "nc", nics: [{ network: "mgmt", ip: "192.168.56.12" }, { network: "ext" }] },
  ],
  // A network lab: no KVM check decides the exit code of kvm-lab test, the network does.
  checks: { required: [] },
});
`,
    );
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

  test("up brings the three machines up", async () => {
    const up = await kvmLabInNetns(["up"], dir, 25 * MINUTES);
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toBe("up: na, nb, nc");
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
