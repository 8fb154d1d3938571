// One lab on two libvirt hosts (issue 15), on one machine: host A is the tests' namespace with
// its libvirtd (qemu:///system), host B a namespace of its own with its own libvirtd and sshd,
// reached only over qemu+ssh across a veth LAN (198.51.100.0/24; test/support/hosts.ts).
// Three machines, one on A and two on B, with a host-only and an internal network that span
// both hosts (VXLAN between the hosts' bridges, DHCP and the host address on A alone): the
// second host unreachable at preflight (exit 3, nothing booted), up, the KVM checks, the
// network check (cross-host pairs reach, the isolated pairs stay isolated), the tunnel cut on
// B during check --network (the cross-host pairs fail, the cause names the tunnel), and a
// failing `kvm-lab test` that destroys the lab and leaves nothing on either host. QEMU software emulation; nothing leaves the namespaces.
import fs from "fs-extra";
import path from "node:path";
import { addBox, buildTestBox, cannotBootVms, e2eAccel, labDir } from "../support/e2e.js";
import { BIN } from "../support/cli.js";
import { cutLan, HOST_B_URI, mendLan, onHostA, onHostB, secondHostUnavailable, startSecondHost, stopSecondHost } from "../support/hosts.js";

const skip = cannotBootVms() ?? secondHostUnavailable();
if (skip) process.stderr.write(`e2e multi-host: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;
const MINUTES = 60_000;
const NAME = "e2emh";

// The minimal box has no kvm module loaded and no kvm group: the step nested machines need there.
const KVM_STEP = `provision: ["modprobe kvm_amd || modprobe kvm_intel; getent group kvm || groupadd -r kvm; usermod -aG kvm vagrant"]`;

const CONFIG = `import { defineLab } from "kvm-lab";
export default defineLab({
  name: "${NAME}",
  provider: "libvirt",
  box: "kvm-lab/debian-13-minimal",
  defaults: { cpus: 1, memory: 640, accel: "${e2eAccel()}", nested: true },
  hosts: {
    a: { uri: "qemu:///system", cpus: 2, memory: 1024 },
    b: { uri: "${HOST_B_URI}", cpus: 2, memory: 2048 },
  },
  networks: {
    lan: { mode: "hostonly", cidr: "192.168.57.0/24" },
    back: { mode: "intnet", cidr: "10.30.0.0/24" },
  },
  machines: [
    { name: "ma", host: "a", ${KVM_STEP}, nics: [{ network: "lan", ip: "192.168.57.10" }, { network: "back", ip: "10.30.0.10" }] },
    { name: "mb", host: "b", ${KVM_STEP}, nics: [{ network: "lan", ip: "192.168.57.11" }, { network: "back", ip: "10.30.0.11" }] },
    // Placed by kvm-lab: a has 384 MiB left after ma, so mc goes to b; its lease comes from a's DHCP across the tunnel.
    { name: "mc", ${KVM_STEP}, nics: [{ network: "lan" }] },
  ],
});
`;

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** kvm-lab on host A (the tests' namespace, with the private ~/.ssh that reaches B). */
async function kvmLab(args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return onHostA(process.execPath, [BIN, ...args], { cwd, timeoutMs, env: { VAGRANT_HOME: "/var/tmp/kvm-lab-e2e-vagrant-home", VAGRANT_CHECKPOINT_DISABLE: "1", CI: "1" } });
}

/** Domains, networks and volumes (default pool) on a host's libvirt whose names contain `marker`. */
async function leftoversOn(on: (c: string, a: string[]) => Promise<Run>, marker: string): Promise<string[]> {
  const list = async (args: string[]) =>
    (await on("virsh", ["-c", "qemu:///system", ...args])).stdout
      .split("\n")
      .map((l) => l.trim().split(/\s+/)[0])
      .filter((l) => l.includes(marker));
  return [...(await list(["list", "--all", "--name"])), ...(await list(["net-list", "--all", "--name"])), ...(await list(["vol-list", "default"]))];
}

/** What of the lab is left on either host: named after the lab (networks) or its folder (vagrant-libvirt's domains and volumes). */
async function leftovers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const marker of [NAME, path.basename(dir)]) found.push(...(await leftoversOn(onHostA, marker)).map((n) => `a: ${n}`), ...(await leftoversOn(onHostB, marker)).map((n) => `b: ${n}`));
  // vagrant-libvirt's management network goes with the last domain on a host (destroy_networks.rb): on b, the lab's were the only ones.
  found.push(...(await leftoversOn(onHostB, "vagrant-libvirt")).map((n) => `b: ${n}`));
  return found;
}

const vxlans = async (on: (c: string, a: string[]) => Promise<Run>) => (await on("ip", ["-o", "link", "show", "type", "vxlan"])).stdout.match(/kvx-[0-9a-f]{8}/g) ?? [];

maybe("one lab on two libvirt hosts, networks spanning them", () => {
  let dir: string;

  beforeAll(async () => {
    const minimal = await buildTestBox("debian-13-minimal");
    await addBox(minimal.catalog, "libvirt");
    const host = await startSecondHost();
    process.stderr.write(`e2e multi-host: host B answered over qemu+ssh in ${(host.startedInMs / 1000).toFixed(1)} s\n`);
    dir = await labDir("kvm-lab-e2e-mh-", CONFIG);
  }, 40 * MINUTES);

  afterAll(async () => {
    if (dir) {
      await mendLan().catch(() => undefined);
      await kvmLab(["destroy"], dir, 10 * MINUTES).catch(() => undefined);
      await fs.remove(dir);
    }
    await stopSecondHost();
  }, 15 * MINUTES);

  test("plan shows where each machine runs and each host's load", async () => {
    const plan = await kvmLab(["plan", "--json"], dir, 2 * MINUTES);
    expect(plan.exitCode).toBe(0);
    const json = JSON.parse(plan.stdout);
    expect(plan.stdout).toContain("qemu+ssh://root@198.51.100.2/system");
    expect(JSON.stringify(json)).toMatch(/"mc"/);
  });

  test("host b unreachable at preflight: named, exit 3, nothing booted on either host", async () => {
    await cutLan();
    try {
      const up = await kvmLab(["up"], dir, 5 * MINUTES);
      expect(up.exitCode).toBe(3);
      expect(up.stderr).toContain("hosts.b");
      expect(up.stderr).toMatch(/not reachable over SSH/);
      expect(up.stderr).toContain("nothing was started");
    } finally {
      await mendLan();
    }
    expect(await leftovers(dir)).toEqual([]);
  }, 10 * MINUTES);

  test("up places ma on A and mb, mc on B, the spanning networks joined by VXLAN", async () => {
    const up = await kvmLab(["up"], dir, 40 * MINUTES);
    if (up.exitCode !== 0) process.stderr.write(up.stderr);
    expect(up.exitCode).toBe(0);
    expect(up.stderr).toMatch(/host a \(this machine\): libvirt/);
    expect(up.stderr).toMatch(/host b \(root@198\.51\.100\.2\): libvirt/);
    expect(up.stderr).toMatch(/spanning hosts: lan \(kvx-[0-9a-f]{8}, VNI \d+, MTU 1450: a \+ b\); back/);
    const onA = (await onHostA("virsh", ["-c", "qemu:///system", "list", "--name"])).stdout;
    const onB = (await onHostB("virsh", ["-c", "qemu:///system", "list", "--name"])).stdout;
    expect(onA).toContain(`${path.basename(dir)}_ma`);
    expect(onA).not.toMatch(/_m[bc]\b/);
    expect(onB).toMatch(/_mb\b/);
    expect(onB).toMatch(/_mc\b/);
    expect((await vxlans(onHostA)).length).toBe(2);
    expect((await vxlans(onHostB)).sort()).toEqual((await vxlans(onHostA)).sort());
  }, 45 * MINUTES);

  test("the KVM checks pass on every machine, on both hosts", async () => {
    const check = await kvmLab(["check", "--json"], dir, 10 * MINUTES);
    if (check.exitCode !== 0) process.stderr.write(`${check.stdout}\n${check.stderr}`);
    expect(check.exitCode).toBe(0);
    const machines = JSON.parse(check.stdout).machines as { machine: string; passed: boolean }[];
    expect(machines.map((m) => [m.machine, m.passed])).toEqual([["ma", true], ["mb", true], ["mc", true]]);
  }, 15 * MINUTES);

  test("across the hosts: the guests' MTU is the tunnel's, and mc on b has its lease from a's DHCP", async () => {
    const ssh = (machine: string, command: string) => onHostA("ssh", ["-F", ".kvm-lab/ssh-config", machine, command], { cwd: dir, timeoutMs: 2 * MINUTES });
    const links = (await ssh("mb", "ip -o addr show; ip -o link show")).stdout;
    for (const address of ["192.168.57.11", "10.30.0.11"]) {
      const iface = new RegExp(`\\d+: (\\S+)\\s+inet ${address.replace(/\./g, "\\.")}/`).exec(links)?.[1];
      expect(iface).toBeDefined();
      expect(links).toMatch(new RegExp(`\\d+: ${iface}: <[^>]*> mtu 1450 `));
    }
    const lease = (await ssh("mc", "ip -o -4 addr show")).stdout;
    expect(lease).toMatch(/inet 192\.168\.57\.(1[2-9][0-9]|2[0-4][0-9]|25[0-4])\/24/);
    // (That a full 1450-byte frame crosses such a tunnel and a larger one does not is proven
    // between two namespaces in test/unit/fabric/tunnel-scripts.test.ts: the minimal box has no ping.)
  }, 10 * MINUTES);

  test("check --network: the cross-host pairs reach, every must-not pair stays isolated", async () => {
    const check = await kvmLab(["check", "--network", "--json"], dir, 10 * MINUTES);
    if (check.exitCode !== 0) process.stderr.write(`${check.stdout}\n${check.stderr}`);
    expect(check.exitCode).toBe(0);
    const pairs = JSON.parse(check.stdout).pairs as { id: string; expected: boolean; actual: boolean | null; status: string }[];
    const byId = Object.fromEntries(pairs.map((p) => [p.id, p]));
    for (const id of ["ma -> mb @lan", "mb -> ma @lan", "ma -> mb @back", "mb -> ma @back", "mc -> ma @lan", "host -> mb @lan", "host -> mc @lan"]) {
      expect(byId[id]).toMatchObject({ expected: true, actual: true, status: "pass" });
    }
    for (const id of ["host -> mb @back", "mb -> host @back", "host -> ma @back"]) expect(byId[id]).toMatchObject({ expected: false, actual: false, status: "pass" });
    expect(pairs.every((p) => p.status !== "fail")).toBe(true);
  }, 15 * MINUTES);

  test("the tunnel cut on host b: the cross-host pairs fail and the cause names the tunnel; up mends it", async () => {
    const devices = await vxlans(onHostB);
    for (const device of devices) await onHostB("ip", ["link", "set", device, "down"]);
    try {
      const check = await kvmLab(["check", "--network", "--json"], dir, 10 * MINUTES);
      expect(check.exitCode).toBe(1);
      const report = JSON.parse(check.stdout);
      const pairs = report.pairs as { id: string; status: string; explanation: string }[];
      const cross = pairs.find((p) => p.id === "ma -> mb @back")!;
      expect(cross.status).toBe("fail");
      expect(cross.explanation).toMatch(/cause: tunnel kvx-[0-9a-f]{8} of intnet 'back' between hosts a, b: host b: kvx-[0-9a-f]{8} is down/);
      // Pairs on one host are untouched by the cut.
      expect(pairs.find((p) => p.id === "mb -> mc @lan")?.status).toBe("pass");
      // up, with every machine matching its config, has nothing to do but mends what spans the hosts.
      const up = await kvmLab(["up"], dir, 10 * MINUTES);
      expect(up.exitCode).toBe(0);
      expect(up.stdout).toMatch(/^nothing to do: 3 machines up and matching the config/);
      for (const device of devices) expect((await onHostB("ip", ["-o", "link", "show", device])).stdout).toMatch(/[<,]UP[,>]/);
      const again = await kvmLab(["check", "--network", "--json"], dir, 10 * MINUTES);
      if (again.exitCode !== 0) process.stderr.write(`check --network after up mended the tunnel:\n${again.stdout}\n${again.stderr}\n`);
      expect(again.exitCode).toBe(0);
    } finally {
      for (const device of devices) await onHostB("ip", ["link", "set", device, "up"]);
    }
  }, 25 * MINUTES);

  test("status across both hosts; a failing kvm-lab test then destroys the lab and leaves nothing on either host", async () => {
    const status = await kvmLab(["status", "--json"], dir, 2 * MINUTES);
    expect(status.exitCode).toBe(0);
    expect(JSON.stringify(JSON.parse(status.stdout))).toMatch(/running/);
    // The libvirtd check fails on the minimal box: a failing run.
    await fs.writeFile(`${dir}/kvm-lab.config.ts`, CONFIG.replace("  machines: [", '  checks: { required: ["cpu-flags", "libvirtd"] },\n  machines: ['));
    const run = await kvmLab(["test"], dir, 20 * MINUTES);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("destroying the lab's machines");
    expect(run.stderr).toMatch(/removed the networks and tunnels spanning hosts from a, b/);
    expect(await leftovers(dir)).toEqual([]);
    expect(await vxlans(onHostA)).toEqual([]);
    expect(await vxlans(onHostB)).toEqual([]);
    expect(await fs.pathExists(`${dir}/.kvm-lab/fabric.json`)).toBe(false);
    const destroy = await kvmLab(["destroy"], dir, 10 * MINUTES);
    expect(destroy.exitCode).toBe(0);
  }, 25 * MINUTES);
});
