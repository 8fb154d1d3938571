// The second libvirt "host" the multi-host tests use (test/support/hosts.ts), proved from host A
// (the tests' namespace): virsh reaches B only over qemu+ssh, B's libvirt state (networks,
// domains) is its own, a tiny TCG domain defined and started on B over qemu+ssh runs in B's
// namespace, a VXLAN tunnel of the kind kvm-lab makes carries a ping between bridges on A and
// B and stops when the LAN is cut, and a stop leaves nothing behind. Prints the start and stop
// times. Skips, saying why, where it cannot run (not root, no sshd, no tests' libvirtd).
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import {
  cutLan,
  HOST_A_ADDRESS,
  HOST_B_ADDRESS,
  HOST_B_URI,
  isRunning,
  mendLan,
  onHostA,
  onHostB,
  processesIn,
  secondHostUnavailable,
  startSecondHost,
  stopSecondHost,
  tinyDomainXml,
  writeTinyBios,
  type SecondHost,
} from "../support/hosts.js";
import { ROOT, tempDir } from "../support/tools.js";

const skip = secondHostUnavailable();
if (skip) process.stderr.write(`second host: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;

const MARK = `kvmlab-2h-${process.pid}`;
/** Short names (IFNAMSIZ is 16): a bridge and a VXLAN device, the same names on both hosts. */
const BRIDGE = `b2h${process.pid % 100000}`;
const VXLAN = `x2h${process.pid % 100000}`;
const VNI = "4242";
/** The overlay's addresses: TEST-NET-1 (RFC 5737), apart from the LAN's TEST-NET-2. */
const OVERLAY_A = "192.0.2.1";
const OVERLAY_B = "192.0.2.2";

/** A's own libvirtd, reached as every test reaches it (the unix socket of this machine's /run). */
const virshA = (...args: string[]) => execa("virsh", ["-c", "qemu:///system", ...args], { reject: false });
/** B's libvirtd from A, over qemu+ssh. */
const virshB = (...args: string[]) => onHostA("virsh", ["-c", HOST_B_URI, ...args], { timeoutMs: 30_000 });
const listOf = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
const pingFromA = (address: string, options: string[] = []) => execa("ip", ["netns", "exec", host.hostANetns, "ping", "-c", "1", "-W", "1", ...options, address], { reject: false });

/** A test process's life in short: start B, say so, wait (to be killed). Run by node from the repository root. */
const START_AND_WAIT = `
import { createJiti } from "jiti";
const hosts = await createJiti(import.meta.url).import("./test/support/hosts.ts");
const host = await hosts.startSecondHost();
console.log("started " + JSON.stringify(host));
setInterval(() => {}, 1000);
`;

let host: SecondHost;
let dir: string;
let rootSshBefore: string[] | null;

function listing(folder: string): string[] | null {
  return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : null;
}

/** Second hosts' state files and folders in the temp folder. */
function stateFiles(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("kvm-lab-hostb-")).sort();
}

maybe("a second host whose start fails half-way", () => {
  test("is undone: its daemons, namespace, LAN and files are gone, and a stop after it is harmless", async () => {
    const before = { rootSsh: listing("/root/.ssh"), daemons: daemonsOf("kvm-lab-hostb-"), files: stateFiles() };
    // A real fault, not a fake: B's daemons start (the step before this one), but no time is left to answer in.
    await expect(startSecondHost({ timeoutMs: 0 })).rejects.toThrow(/^second host: B answering over qemu\+ssh: .* in 0 ms/);
    await stopSecondHost();
    expect((await execa("ip", ["netns", "list"])).stdout).not.toContain(`kvmlab-hostb-${process.pid}`);
    expect({ rootSsh: listing("/root/.ssh"), daemons: daemonsOf("kvm-lab-hostb-"), files: stateFiles() }).toEqual(before);
  }, 60_000);

  test("one left by a test process that died is undone by the next start", async () => {
    // A child process starts B and is killed before its stop: B's daemons, namespace and LAN stay.
    const child = execa(process.execPath, ["--input-type=module", "-e", START_AND_WAIT], { cwd: ROOT, reject: false, all: true });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.all!.on("data", (chunk: Buffer) => {
        out += chunk;
        const found = /^started (\S+)$/m.exec(out);
        if (found) resolve(found[1]);
      });
      void child.then(() => reject(new Error(`the child ended before B started:\n${out}`)));
    });
    child.kill("SIGKILL");
    await child;
    const left = JSON.parse(line) as { netns: string; stateDir: string; pids: Record<string, number> };
    const inLeft = processesIn((await fs.stat(`/run/netns/${left.netns}`)).ino);
    expect(inLeft).toEqual(expect.arrayContaining(Object.values(left.pids)));

    const next = await startSecondHost();
    try {
      // By pid, not by namespace: a freed namespace's inode number is soon given to a new one (the next B's).
      expect(inLeft.filter(isRunning)).toEqual([]);
      expect((await execa("ip", ["netns", "list"])).stdout).not.toContain(left.netns);
      expect(await fs.pathExists(left.stateDir)).toBe(false);
      expect((await virshB("version")).exitCode).toBe(0);
    } finally {
      await stopSecondHost();
    }
    expect(await fs.pathExists(next.stateDir)).toBe(false);
  }, 60_000);
});

maybe("a second libvirt host on this machine, reached over qemu+ssh", () => {
  beforeAll(async () => {
    rootSshBefore = listing("/root/.ssh");
    dir = await tempDir("kvm-lab-second-host-");
    await fs.chmod(dir, 0o755); // B's QEMU (libvirt-qemu) reads the firmware from here
    host = await startSecondHost();
    process.stderr.write(`second host: started in ${host.startedInMs} ms\n`);
  }, 60_000);

  afterAll(async () => {
    await virshA("net-destroy", `${MARK}-a`);
    await virshA("net-undefine", `${MARK}-a`);
    await execa("ip", ["-n", host?.hostANetns ?? "none", "link", "del", VXLAN], { reject: false });
    await execa("ip", ["-n", host?.hostANetns ?? "none", "link", "del", BRIDGE], { reject: false });
    await stopSecondHost();
    await fs.remove(dir);
  }, 60_000);

  test("virsh on A answers over qemu+ssh, and so do plain OpenSSH and vagrant-libvirt's proxy command", async () => {
    const version = await virshB("version");
    expect(version.stderr).toBe("");
    expect(version.stdout).toMatch(/Running hypervisor: QEMU/);
    const ssh = await onHostA("ssh", ["-o", "BatchMode=yes", `root@${HOST_B_ADDRESS}`, "ip", "-4", "-o", "addr", "show", "lan0"]);
    expect(ssh.stdout).toContain(`${HOST_B_ADDRESS}/24`);
    // vagrant-libvirt 0.11.2 config.rb finalize_proxy_command: "ssh '<host>' -l '<user>' -W %h:%p".
    const proxied = await onHostA("ssh", ["-o", "BatchMode=yes", "-o", `ProxyCommand=ssh '${HOST_B_ADDRESS}' -l 'root' -W %h:%p`, `root@${HOST_B_ADDRESS}`, "true"]);
    expect(proxied).toMatchObject({ exitCode: 0, stderr: "" });
    // vagrant-libvirt reaches libvirt through ruby-libvirt (fog-libvirt), with the same plain URI.
    const ruby = await onHostA("ruby", ["-rlibvirt", "-e", "c = Libvirt.open(ARGV[0]); puts c.uri; puts c.list_storage_pools.inspect", HOST_B_URI]);
    expect(ruby).toMatchObject({ exitCode: 0, stderr: "" });
    expect(ruby.stdout).toContain(HOST_B_URI);
    // B's sshd listens on B's LAN address only.
    const listening = await onHostB("ss", ["-Hltn", "sport", "=", ":22"]);
    expect(listOf(listening.stdout).map((l) => l.split(/\s+/)[3])).toEqual([`${HOST_B_ADDRESS}:22`]);
  });

  test("a network defined on B is not seen on A's qemu:///system, and one defined on A is not seen on B", async () => {
    const xml = (name: string, bridge: string) => `<network><name>${name}</name><bridge name='${bridge}'/></network>`;
    const fileB = path.join(dir, "net-b.xml");
    await fs.writeFile(fileB, xml(`${MARK}-b`, `n2hb${process.pid % 100000}`));
    expect((await virshB("net-define", fileB)).exitCode).toBe(0);
    expect((await virshB("net-start", `${MARK}-b`)).exitCode).toBe(0);
    const fileA = path.join(dir, "net-a.xml");
    await fs.writeFile(fileA, xml(`${MARK}-a`, `n2ha${process.pid % 100000}`));
    expect((await virshA("net-define", fileA)).exitCode).toBe(0);

    expect(listOf((await virshB("net-list", "--all", "--name")).stdout)).toEqual(expect.arrayContaining([`${MARK}-b`]));
    expect(listOf((await virshB("net-list", "--all", "--name")).stdout)).not.toContain(`${MARK}-a`);
    expect(listOf((await virshA("net-list", "--all", "--name")).stdout)).toContain(`${MARK}-a`);
    expect(listOf((await virshA("net-list", "--all", "--name")).stdout)).not.toContain(`${MARK}-b`);
    // B's definition went to its own /etc/libvirt, its bridge into its own namespace.
    expect(await fs.pathExists(`/etc/libvirt/qemu/networks/${MARK}-b.xml`)).toBe(false);
    expect(await fs.pathExists(path.join(host.stateDir, "etc-libvirt", "qemu", "networks", `${MARK}-b.xml`))).toBe(true);
    expect((await onHostB("ip", ["link", "show", `n2hb${process.pid % 100000}`])).exitCode).toBe(0);
    expect((await execa("ip", ["-n", host.hostANetns, "link", "show", `n2hb${process.pid % 100000}`], { reject: false })).exitCode).not.toBe(0);
  });

  test("a tiny TCG domain defined and started on B over qemu+ssh runs, its QEMU in B's namespace", async () => {
    const name = `${MARK}-tiny`;
    const bios = path.join(dir, "tiny.bios");
    await writeTinyBios(bios);
    const file = path.join(dir, "tiny.xml");
    await fs.writeFile(file, tinyDomainXml(name, bios));
    const defined = await virshB("define", file);
    expect(defined.stderr).toBe("");
    const start = await virshB("start", name);
    expect(start.stderr).toBe("");
    expect((await virshB("domstate", name)).stdout.trim()).toBe("running");
    expect(listOf((await virshA("list", "--all", "--name")).stdout)).not.toContain(name);
    // B's /run is <stateDir>/run (test/support/hosts.ts); libvirt writes the QEMU pid there.
    const qemu = Number(await fs.readFile(path.join(host.stateDir, "run", "libvirt", "qemu", `${name}.pid`), "utf8"));
    expect(isRunning(qemu)).toBe(true);
    expect(await fs.readFile(`/proc/${qemu}/comm`, "utf8")).toMatch(/^qemu-system-x86/);
    const bNet = await fs.readlink(`/proc/${host.pids.libvirtd}/ns/net`);
    expect(await fs.readlink(`/proc/${qemu}/ns/net`)).toBe(bNet);
    expect(await fs.readlink(`/proc/${process.pid}/ns/net`)).not.toBe(bNet);
  });

  test("a VXLAN pair between 198.51.100.1 and .2 carries a ping between bridges on A and B; a cut LAN stops it, a mended one carries it again", async () => {
    // The tunnel kvm-lab makes on each host: a unicast VXLAN with one all-zeros fdb entry per peer.
    const tunnel = (local: string, remote: string, address: string) => [
      ["ip", "link", "add", BRIDGE, "type", "bridge"],
      ["ip", "link", "add", VXLAN, "type", "vxlan", "id", VNI, "local", local, "dstport", "4789", "nolearning"],
      ["bridge", "fdb", "append", "00:00:00:00:00:00", "dev", VXLAN, "dst", remote],
      ["ip", "link", "set", VXLAN, "master", BRIDGE],
      ["ip", "addr", "add", `${address}/24`, "dev", BRIDGE],
      ["ip", "link", "set", VXLAN, "up"],
      ["ip", "link", "set", BRIDGE, "up"],
    ];
    for (const [command, ...args] of tunnel(HOST_A_ADDRESS, HOST_B_ADDRESS, OVERLAY_A)) {
      expect((await execa("ip", ["netns", "exec", host.hostANetns, command, ...args], { reject: false })).stderr).toBe("");
    }
    for (const [command, ...args] of tunnel(HOST_B_ADDRESS, HOST_A_ADDRESS, OVERLAY_B)) {
      expect((await onHostB(command, args)).stderr).toBe("");
    }
    expect((await retry(() => pingFromA(OVERLAY_B))).exitCode).toBe(0);

    // MTU: made without `dev`, a VXLAN device keeps Ethernet's 1500 whatever the LAN's (Linux
    // drivers/net/vxlan/vxlan_core.c vxlan_config_apply lowers max_mtu only from a lower device),
    // so a full-size frame with DF set cannot cross a 1500-byte LAN; at LAN - 50 a full frame does
    // (include/net/vxlan.h vxlan_headroom(), VXLAN_HEADROOM in older kernels: outer IPv4 20 +
    // UDP 8 + VXLAN 8 + inner Ethernet 14).
    expect((await onHostB("ip", ["-o", "link", "show", VXLAN])).stdout).toMatch(/ mtu 1500 /);
    expect((await pingFromA(OVERLAY_B, ["-M", "do", "-s", "1472"])).exitCode).not.toBe(0);
    await execa("ip", ["-n", host.hostANetns, "link", "set", VXLAN, "mtu", "1450"]);
    await onHostB("ip", ["link", "set", VXLAN, "mtu", "1450"]);
    expect((await execa("ip", ["-n", host.hostANetns, "-o", "link", "show", BRIDGE])).stdout).toMatch(/ mtu 1450 /);
    expect((await pingFromA(OVERLAY_B, ["-M", "do", "-s", "1422"])).exitCode).toBe(0);

    await cutLan();
    expect((await pingFromA(OVERLAY_B)).exitCode).not.toBe(0);
    await mendLan();
    expect((await retry(() => pingFromA(OVERLAY_B))).exitCode).toBe(0);
  });

  test("stop leaves nothing: B's daemons and QEMU, its namespace and mounts, the LAN, its files; a second stop is harmless", async () => {
    const inB = processesIn((await fs.stat(`/run/netns/${host.netns}`)).ino);
    expect(inB.length).toBeGreaterThanOrEqual(4); // virtlogd, libvirtd, sshd, QEMU (dnsmasq of B's default network too)
    expect(seeingMountsOf(host.stateDir)).toContain(host.pids.libvirtd);
    const started = Date.now();
    await stopSecondHost();
    process.stderr.write(`second host: stopped in ${Date.now() - started} ms\n`);
    await stopSecondHost();

    // By pid and by what is mounted, not by namespace: a freed namespace's inode number is soon reused.
    expect(inB.filter(isRunning)).toEqual([]);
    expect(seeingMountsOf(host.stateDir)).toEqual([]);
    expect((await execa("ip", ["netns", "list"])).stdout).not.toContain(host.netns);
    expect((await execa("ip", ["-n", host.hostANetns, "link", "show", host.lanDevice], { reject: false })).exitCode).not.toBe(0);
    expect(await fs.pathExists(host.stateDir)).toBe(false);
    expect(listing("/root/.ssh")).toEqual(rootSshBefore);
    // A's libvirtd is untouched: still answering on this machine's socket.
    expect((await virshA("version")).exitCode).toBe(0);
  });
});

/** Pids of processes whose command line names `marker` (B's daemons name their pid files and config in its state folder). */
function daemonsOf(marker: string): number[] {
  return fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(marker) && isRunning(Number(p));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Pids of processes that see a mount of `dir` (B's private directories are bind mounts of its state folder). */
function seeingMountsOf(dir: string): number[] {
  // mountinfo names a bind mount's source from its file system's root: /tmp/<name>/... or, with /tmp a mount of its own, /<name>/...
  const name = `/${path.basename(dir)}/`;
  return fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/mountinfo`, "utf8").includes(name);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Up to 5 tries a second apart (ARP, and the route coming back after a link goes up). */
async function retry<T extends { exitCode?: number }>(attempt: () => Promise<T>): Promise<T> {
  let result = await attempt();
  for (let i = 0; i < 4 && result.exitCode !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    result = await attempt();
  }
  return result;
}
