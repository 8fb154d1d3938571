// Two libvirt "hosts" on one machine, for the multi-host tests. Host A is the tests' own
// network namespace (test/support/libvirtd.mjs; its libvirtd answers qemu:///system). Host B
// is made here: a network namespace kvmlab-hostb-<pid> joined to A by a veth pair as their LAN
// (198.51.100.0/24, RFC 5737's TEST-NET-2, so nothing can leave), with its own virtlogd,
// libvirtd and sshd, all started by ONE `ip netns exec` so they share its private mount
// namespace, in which B's /etc/libvirt (a filtered copy of this machine's), /var/lib/libvirt,
// /var/log/libvirt, /var/cache/libvirt and /run are directories of its own. A reaches B only
// over qemu+ssh, with a private ~/.ssh bind-mounted over /root/.ssh in each command's own
// mount namespace: nothing is written to the real /root/.ssh or /etc/ssh.
// One second host at a time on a machine (the LAN's addresses are fixed); a state file in the
// temp folder lets a later run clean up after a process that died before its stop.
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { STATE_FILE, testNetns, type Run } from "./e2e.js";

/** The LAN between the hosts: TEST-NET-2 (RFC 5737), a documentation block no one routes. */
export const LAN_CIDR = "198.51.100.0/24";
export const HOST_A_ADDRESS = "198.51.100.1";
export const HOST_B_ADDRESS = "198.51.100.2";
/** What kvm-lab, vagrant and virsh on host A use to reach host B's libvirtd. */
export const HOST_B_URI = `qemu+ssh://root@${HOST_B_ADDRESS}/system`;

const LAN_PREFIX = 24;
/** B's end of the LAN (in B's own namespace, so the name cannot clash). */
const LAN_B_DEVICE = "lan0";
const STATE_PREFIX = "kvm-lab-hostb-";
const SSHD = "/usr/sbin/sshd";
const DEFAULT_START_TIMEOUT_MS = 45_000;

export interface SecondHostOptions {
  /** MTU of both LAN ends (default 1500, Linux's veth default). */
  lanMtu?: number;
  /** How long B's daemons get to answer over qemu+ssh (default 45 s). */
  timeoutMs?: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Killed with SIGKILL after this long (default 120 s). */
  timeoutMs?: number;
}

export interface SecondHost {
  /** B's network namespace, kvmlab-hostb-<pid>. */
  netns: string;
  /** A's network namespace (the tests' libvirtd's). */
  hostANetns: string;
  /** A's end of the LAN veth pair, in A's namespace. */
  lanDevice: string;
  /** The private ~/.ssh the commands on A see (key pair, known_hosts line for B). */
  sshDir: string;
  /** Holds B's state (the sources of its private directories); B sees its /run at `<stateDir>/run`. */
  stateDir: string;
  /** HOST_B_URI: qemu+ssh://root@198.51.100.2/system. */
  uri: string;
  /** Pids of B's daemons (as their pid files said once B answered). */
  pids: { libvirtd: number; virtlogd: number; sshd: number };
  /** Milliseconds from the call until B answered over qemu+ssh. */
  startedInMs: number;
}

/** What a stop needs, written before anything is made so a half-made host is still undone. */
interface State {
  owner: number;
  netns: string;
  hostANetns: string;
  lanDevice: string;
  dir: string;
  /** Whether we made /root/.ssh (only as a mount point: it was missing). */
  madeRootSsh: boolean;
}

let current: { host?: SecondHost; stateFile: string } | undefined;

/** Why a second host cannot be started here, or undefined when it can (print it as a skip). */
export function secondHostUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "not root: network namespaces and daemons need root";
  const { reason } = testNetns();
  if (reason) return reason;
  const owner = testLibvirtdOwner();
  // A libvirtd another live test run started is that run's; one whose starter has ended (a
  // libvirtd kept running between runs by hand, test/support/libvirtd.mjs) is anyone's.
  if (!ancestry(process.pid).includes(owner) && isRunning(owner)) return `the tests' libvirtd belongs to another test run (pid ${owner}): a second host joins only its own run's namespace`;
  const missing: [string, string][] = [
    [SSHD, "openssh-server"],
    ["/usr/bin/ssh", "openssh-client"],
    ["/usr/bin/ssh-keygen", "openssh-client"],
    ["/usr/sbin/libvirtd", "libvirt-daemon-system"],
    ["/usr/sbin/virtlogd", "libvirt-daemon-system"],
    ["/usr/bin/virsh", "libvirt-clients"],
    ["/usr/bin/nsenter", "util-linux"],
  ];
  for (const [file, pkg] of missing) if (!fs.existsSync(file)) return `${file} is missing (apt-get install ${pkg}; scripts/install-deps.sh)`;
  const live = liveStates().filter((s) => s.state.owner !== process.pid);
  if (live.length) return `another second host is running (pid ${live[0].state.owner}, ${live[0].state.netns}); one at a time: the LAN addresses are fixed`;
  return undefined;
}

/**
 * Starts host B (see the file header) and returns once `virsh -c qemu+ssh://root@198.51.100.2/system`
 * answers from A. On failure everything made so far is undone and the error says which step failed.
 */
export async function startSecondHost(options: SecondHostOptions = {}): Promise<SecondHost> {
  const started = Date.now();
  await cleanStale();
  const unavailable = secondHostUnavailable();
  if (unavailable) throw new Error(`second host: cannot start: ${unavailable}`);
  if (current) throw new Error(`second host: ${current.host?.netns ?? "one"} is already started by this process; stop it first`);
  const hostANetns = testNetns().netns!;
  const taken = await run("ip", ["-n", hostANetns, "-4", "-o", "addr", "show", "to", `${HOST_A_ADDRESS}/32`]);
  if (taken.stdout.trim()) throw new Error(`second host: ${HOST_A_ADDRESS} is already on a device in ${hostANetns} (${taken.stdout.trim().split(/\s+/)[1]}): another test's LAN; run one at a time`);
  const netns = `kvmlab-hostb-${process.pid}`;
  const lanDevice = `lanb${process.pid}`.slice(0, 15); // IFNAMSIZ - 1
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), STATE_PREFIX));
  const state: State = { owner: process.pid, netns, hostANetns, lanDevice, dir, madeRootSsh: false };
  const stateFile = path.join(os.tmpdir(), `${STATE_PREFIX}${process.pid}.json`);
  // 1. The namespace: if it exists already it is not ours, and nothing is recorded to undo.
  const added = await run("ip", ["netns", "add", netns]);
  if (added.exitCode !== 0) {
    await fs.remove(dir);
    throw new Error(`second host: ip netns add ${netns} failed: ${added.stderr.trim()}`);
  }
  await fs.writeJson(stateFile, state);
  current = { stateFile };
  try {
    await step("the LAN", () => makeLan(state, options.lanMtu ?? 1500));
    await step("B's directories", () => makeDirectories(dir));
    await step("the ssh keys", () => makeSshFiles(dir));
    if (!(await fs.pathExists("/root/.ssh"))) {
      await fs.mkdir("/root/.ssh", { mode: 0o700 });
      state.madeRootSsh = true;
      await fs.writeJson(stateFile, state);
    }
    await step("B's daemons", () => startDaemons(state));
    await step("B answering over qemu+ssh", () => waitForHostB(dir, hostANetns, options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS));
    const pids = { libvirtd: await readPid(dir, "libvirtd.pid"), virtlogd: await readPid(dir, "virtlogd.pid"), sshd: await readPid(dir, "sshd/sshd.pid") };
    current.host = { netns, hostANetns, lanDevice, sshDir: path.join(dir, "client-ssh"), stateDir: dir, uri: HOST_B_URI, pids, startedInMs: Date.now() - started };
    return current.host;
  } catch (error) {
    await stopSecondHost();
    throw error;
  }
}

/** Undoes host B: its domains and networks, daemons, processes, namespace, LAN, files. Safe to call twice. */
export async function stopSecondHost(): Promise<void> {
  if (!current) return;
  const { stateFile } = current;
  current = undefined;
  if (await fs.pathExists(stateFile)) await undo(await fs.readJson(stateFile), stateFile);
}

/** Runs a command in host A's namespace with the private ~/.ssh, as kvm-lab, vagrant or virsh there would run. */
export async function onHostA(command: string, args: string[], options: RunOptions = {}): Promise<Run> {
  const host = started();
  return withSshDir(host.hostANetns, host.sshDir, command, args, options);
}

/** `command` in `netns` with `sshDir` over /root/.ssh: `ip netns exec` gives it a mount namespace of its own, so the bind mount ends with it. */
function withSshDir(netns: string, sshDir: string, command: string, args: string[], options: RunOptions = {}): Promise<Run> {
  const script = 'mount --bind "$0" /root/.ssh && exec "$@"';
  return run("ip", ["netns", "exec", netns, "sh", "-c", script, sshDir, command, ...args], options);
}

/** Runs a command inside host B (its network and mount namespaces), for a test's own look at B. */
export async function onHostB(command: string, args: string[], options: RunOptions = {}): Promise<Run> {
  const host = started();
  // Entering a mount namespace moves the caller to its root (setns(2)): keep the working folder.
  return run("nsenter", ["-t", String(host.pids.libvirtd), "-n", "-m", `--wd=${options.cwd ?? process.cwd()}`, "--", command, ...args], options);
}

/** Takes A's end of the LAN down: the "tunnel cut" fault (B's end loses its carrier). */
export async function cutLan(): Promise<void> {
  await setLan("down");
}

/** Brings A's end of the LAN back up after cutLan (its address and route come back with it). */
export async function mendLan(): Promise<void> {
  await setLan("up");
}

/** The 64 KiB firmware of a tiny test domain: `cli; hlt` at the reset vector, so it idles without an OS. */
export async function writeTinyBios(file: string): Promise<void> {
  // QEMU's PC firmware loader wants a size that is a multiple of 64 KiB (hw/i386/x86.c,
  // x86_bios_rom_init: "bios_size % 65536"); the CPU starts at 0xFFFF0, the image's last 16 bytes.
  const image = Buffer.alloc(65536);
  Buffer.from([0xfa, 0xf4, 0xeb, 0xfd]).copy(image, 0xfff0); // cli; hlt; jmp back to hlt
  await fs.writeFile(file, image, { mode: 0o644 });
}

/** A 32 MiB TCG domain with no disk, NIC or display that runs `bios` (see writeTinyBios). */
export function tinyDomainXml(name: string, bios: string): string {
  if (!/^[\w.-]+$/.test(name) || !/^[\w./-]+$/.test(bios)) throw new Error(`tinyDomainXml: ${name} / ${bios}: letters, digits, . _ - / only`);
  return `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type><loader readonly='yes' type='rom'>${bios}</loader></os>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><video><model type='none'/></video><memballoon model='none'/></devices></domain>`;
}

/** The pid that started the tests' libvirtd (its global setup: this process, or jest's main process above a worker). */
function testLibvirtdOwner(): number {
  try {
    return Number(fs.readJsonSync(STATE_FILE).owner);
  } catch {
    return 0;
  }
}

/** `pid` and its parents up to init. */
function ancestry(pid: number): number[] {
  const chain: number[] = [];
  for (let at = pid; at > 1 && chain.length < 64; ) {
    chain.push(at);
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
      const stat = fs.readFileSync(`/proc/${at}/stat`, "utf8");
      at = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      break;
    }
  }
  return chain;
}

function started(): SecondHost {
  if (!current?.host) throw new Error("second host: not started (call startSecondHost first)");
  return current.host;
}

async function setLan(updown: "up" | "down"): Promise<void> {
  const host = started();
  const result = await run("ip", ["-n", host.hostANetns, "link", "set", host.lanDevice, updown]);
  if (result.exitCode !== 0) throw new Error(`second host: ip link set ${host.lanDevice} ${updown}: ${result.stderr.trim()}`);
}

/** One runner for every external command here: argv only, bounded, never throws on exit status. */
async function run(command: string, args: string[], options: RunOptions = {}): Promise<Run> {
  const result = await execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
    stdin: "ignore",
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? "") };
}

async function must(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  const result = await run(command, args, options);
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.exitCode}: ${result.stderr.trim()}`);
  return result.stdout;
}

async function step<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new Error(`second host: ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The veth pair A <-> B with their addresses; made from the root namespace into both. */
async function makeLan(state: State, mtu: number): Promise<void> {
  const { netns, hostANetns, lanDevice } = state;
  await must("ip", ["-n", netns, "link", "set", "lo", "up"]);
  await must("ip", ["link", "add", lanDevice, "mtu", String(mtu), "netns", hostANetns, "type", "veth", "peer", "name", LAN_B_DEVICE, "mtu", String(mtu), "netns", netns]);
  await must("ip", ["-n", hostANetns, "addr", "add", `${HOST_A_ADDRESS}/${LAN_PREFIX}`, "dev", lanDevice]);
  await must("ip", ["-n", netns, "addr", "add", `${HOST_B_ADDRESS}/${LAN_PREFIX}`, "dev", LAN_B_DEVICE]);
  await must("ip", ["-n", hostANetns, "link", "set", lanDevice, "up"]);
  await must("ip", ["-n", netns, "link", "set", LAN_B_DEVICE, "up"]);
}

/**
 * The sources of B's private directories. /etc/libvirt is this machine's configuration without
 * the objects defined in it (domains, networks and pools other than the packages' `default`,
 * secrets): B starts as a fresh host would. /var/cache/libvirt is copied (QEMU's capabilities,
 * which libvirtd re-validates; saves the probe). /var/lib/libvirt and /var/log/libvirt keep their
 * folders (owners and modes: libvirt-qemu must reach its own) but none of A's files. /run is new.
 */
async function makeDirectories(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  await copyTree("/etc/libvirt", path.join(dir, "etc-libvirt"), (rel, isDir) => isDir || !isDefinedObject(rel));
  await copyTree("/var/cache/libvirt", path.join(dir, "var-cache-libvirt"), () => true);
  await copyTree("/var/lib/libvirt", path.join(dir, "var-lib-libvirt"), (rel, isDir) => isDir && !/(^|\/)(domain-|qmp-)[^/]*$/.test(rel));
  await copyTree("/var/log/libvirt", path.join(dir, "var-log-libvirt"), (_rel, isDir) => isDir);
  const runDir = path.join(dir, "run");
  await fs.mkdir(runDir, { mode: 0o755 });
  await fs.mkdir(path.join(runDir, "libvirt"), { mode: 0o755 });
  await fs.mkdir(path.join(runDir, "sshd"), { mode: 0o755 }); // sshd's privilege separation directory
  await fs.mkdir(path.join(runDir, "lock"));
  await fs.chmod(path.join(runDir, "lock"), 0o1777);
  await makeKvmNode(dir);
}

/**
 * B's /dev/kvm: the machine's device with the permissions Debian's udev gives it (root:kvm 0660,
 * libvirt-qemu being in group kvm), bind-mounted over /dev/kvm in B only. With this machine's
 * 0600 root node, libvirtd's QEMU probe (run as root) sees KVM but its cache check (as
 * libvirt-qemu) does not, so every capabilities lookup re-probes QEMU, ~4 s each (libvirt
 * src/qemu/qemu_capabilities.c virQEMUCapsIsValid: "KVM was enabled when probing ... but it is
 * not available now"): a `virsh define` took 35 s. None when the machine has no /dev/kvm.
 */
async function makeKvmNode(dir: string): Promise<void> {
  const kvm = await fs.stat("/dev/kvm").catch(() => undefined);
  if (!kvm?.isCharacterDevice()) return;
  const major = (kvm.rdev >> 8) & 0xfff;
  const minor = (kvm.rdev & 0xff) | ((kvm.rdev >> 12) & 0xfff00);
  const node = path.join(dir, "dev-kvm");
  await must("mknod", ["-m", "0660", node, "c", String(major), String(minor)]);
  await must("chgrp", ["kvm", node]);
}

/** Whether a file under /etc/libvirt defines an object (a domain, network, pool, secret...) rather than configuring a daemon. */
function isDefinedObject(rel: string): boolean {
  const keepDefault = (pattern: RegExp) => pattern.test(rel) && path.basename(rel) !== "default.xml";
  return (
    /^(qemu|lxc|libxl|ch)\/[^/]+\.xml$/.test(rel) ||
    /^(qemu|lxc|libxl|ch)\/autostart\//.test(rel) ||
    keepDefault(/^qemu\/networks\/(autostart\/)?[^/]+\.xml$/) ||
    keepDefault(/^storage\/(autostart\/)?[^/]+\.xml$/) ||
    /^(secrets|nodedev)\//.test(rel)
  );
}

/** Copies `from` to `to` keeping modes and owners; `keep(rel, isDir)` picks what is copied (a folder left out skips its contents). */
async function copyTree(from: string, to: string, keep: (rel: string, isDir: boolean) => boolean): Promise<void> {
  const copy = async (rel: string) => {
    const source = path.join(from, rel);
    const target = path.join(to, rel);
    const stat = await fs.lstat(source);
    if (stat.isDirectory()) {
      await fs.mkdir(target);
      for (const entry of await fs.readdir(source)) {
        const child = rel ? `${rel}/${entry}` : entry;
        const childStat = await fs.lstat(path.join(source, entry));
        if (keep(child, childStat.isDirectory())) await copy(child);
      }
    } else if (stat.isSymbolicLink()) {
      await fs.symlink(await fs.readlink(source), target);
      await fs.lchown(target, stat.uid, stat.gid);
      return;
    } else if (stat.isFile()) {
      await fs.copyFile(source, target);
    } else {
      return; // sockets, fifos: runtime things, not state
    }
    await fs.chown(target, stat.uid, stat.gid);
    await fs.chmod(target, stat.mode & 0o7777);
  };
  if (await fs.pathExists(from)) await copy("");
  else await fs.mkdir(to, { mode: 0o755 });
}

/** B's sshd host key, config and authorized_keys; A's client key and its known_hosts line for B. */
async function makeSshFiles(dir: string): Promise<void> {
  const sshd = path.join(dir, "sshd");
  const client = path.join(dir, "client-ssh");
  await fs.mkdir(sshd, { mode: 0o700 });
  await fs.mkdir(client, { mode: 0o700 });
  const hostKey = path.join(sshd, "ssh_host_ed25519_key");
  const clientKey = path.join(client, "id_ed25519");
  await must("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kvm-lab second host", "-f", hostKey]);
  await must("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kvm-lab host A", "-f", clientKey]);
  await fs.copyFile(`${clientKey}.pub`, path.join(sshd, "authorized_keys"));
  const [type, key] = (await fs.readFile(`${hostKey}.pub`, "utf8")).trim().split(/\s+/);
  await fs.writeFile(path.join(client, "known_hosts"), `${HOST_B_ADDRESS} ${type} ${key}\n`, { mode: 0o644 });
  // Only B's address, only keys; no PAM (it would write the session's records); our files only.
  // StrictModes no: the files live under the world-writable temp folder, which sshd's check refuses.
  const quote = (p: string) => `"${p}"`;
  const config = [
    `ListenAddress ${HOST_B_ADDRESS}:22`,
    `HostKey ${quote(hostKey)}`,
    `AuthorizedKeysFile ${quote(path.join(sshd, "authorized_keys"))}`,
    `PidFile ${quote(path.join(sshd, "sshd.pid"))}`,
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "StrictModes no",
    "AllowTcpForwarding yes", // vagrant-libvirt's proxy command: ssh <host> -W %h:%p
    "X11Forwarding no",
    "PrintMotd no",
    "PrintLastLog no",
    "UseDNS no",
    "MaxStartups 100:30:200", // libvirt, vagrant and its proxies open many sessions at once
    "MaxSessions 100",
    "LogLevel VERBOSE",
    "",
  ].join("\n");
  await fs.writeFile(path.join(sshd, "sshd_config"), config, { mode: 0o600 });
}

/**
 * ONE exec into B's network namespace: it bind-mounts B's directories in its own mount
 * namespace (`ip netns exec` unshares one and makes / a slave, so nothing propagates back),
 * then starts virtlogd, libvirtd and sshd, which daemonize and keep that namespace alive.
 * `set -e`: a mount that fails stops the script before any daemon could use this machine's
 * /run/libvirt or /etc/libvirt (that would take the tests' libvirtd's socket over).
 */
async function startDaemons(state: State): Promise<void> {
  const script = [
    "set -e",
    'd="$0"',
    'mount --bind "$d/etc-libvirt" /etc/libvirt',
    'mount --bind "$d/var-lib-libvirt" /var/lib/libvirt',
    'mount --bind "$d/var-log-libvirt" /var/log/libvirt',
    'mount --bind "$d/var-cache-libvirt" /var/cache/libvirt',
    'mount --bind "$d/run" /run',
    '[ ! -e "$d/dev-kvm" ] || mount --bind "$d/dev-kvm" /dev/kvm',
    // Checked here, not earlier: sshd -t wants its privilege separation directory, /run/sshd.
    `${SSHD} -t -f "$d/sshd/sshd_config"`,
    'virtlogd -d -p "$d/virtlogd.pid"',
    // Without systemd, a daemon's log goes to its stderr, which -d closes: warnings to a file instead.
    'LIBVIRT_LOG_OUTPUTS="3:file:$d/libvirtd.log" libvirtd -d -p "$d/libvirtd.pid"',
    `${SSHD} -f "$d/sshd/sshd_config" -E "$d/sshd/sshd.log"`,
  ].join("\n");
  await must("ip", ["netns", "exec", state.netns, "sh", "-c", script, state.dir], { timeoutMs: 30_000 });
}

/** Waits for B's libvirtd socket, then for `virsh version` over qemu+ssh from A. */
async function waitForHostB(dir: string, hostANetns: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const socket = path.join(dir, "run", "libvirt", "libvirt-sock");
  while (!(await fs.pathExists(socket))) {
    if (Date.now() >= deadline) throw new Error(`B's libvirtd made no socket in ${timeoutMs} ms (${path.join(dir, "libvirtd.pid")})`);
    await sleep(50);
  }
  let last: Run | undefined;
  while (Date.now() < deadline) {
    last = await withSshDir(hostANetns, path.join(dir, "client-ssh"), "virsh", ["-c", HOST_B_URI, "version"], { timeoutMs: 20_000 });
    if (last.exitCode === 0) return;
    await sleep(200);
  }
  const log = async (file: string) => (await fs.readFile(path.join(dir, file), "utf8").catch(() => "")).slice(-1500);
  throw new Error(`virsh -c ${HOST_B_URI} version did not answer in ${timeoutMs} ms: ${last?.stderr.trim()}\nsshd log:\n${await log("sshd/sshd.log")}\nlibvirtd log:\n${await log("libvirtd.log")}`);
}

/** Every step of a stop; each tolerates what is already gone, so a half-made host is undone too. */
async function undo(state: State, stateFile: string): Promise<void> {
  const { netns, hostANetns, lanDevice, dir } = state;
  const netnsId = await namespaceId(netns);
  const libvirtd = await readPid(dir, "libvirtd.pid").catch(() => 0);
  // 1. B's running domains and networks (QEMU and dnsmasq outlive a stopped libvirtd).
  if (libvirtd && isRunning(libvirtd)) {
    const virsh = (...args: string[]) => run("nsenter", ["-t", String(libvirtd), "-n", "-m", "--", "virsh", "-c", "qemu:///system", ...args], { timeoutMs: 20_000 });
    for (const domain of names((await virsh("list", "--name")).stdout)) await virsh("destroy", domain);
    for (const network of names((await virsh("net-list", "--name")).stdout)) await virsh("net-destroy", network);
  }
  // 2. The daemons by their pid files, then whatever still runs in B's namespace.
  const pids: number[] = [];
  for (const file of ["sshd/sshd.pid", "libvirtd.pid", "virtlogd.pid"]) pids.push(await readPid(dir, file).catch(() => 0));
  await endProcesses(pids.filter((pid) => pid > 0));
  for (let round = 0; netnsId && round < 3 && processesIn(netnsId).length; round++) await endProcesses(processesIn(netnsId));
  const left = netnsId ? processesIn(netnsId) : [];
  // 3. The LAN (deleting one end deletes the pair), then the namespace, whose mounts went with its last process.
  await run("ip", ["-n", hostANetns, "link", "del", lanDevice]);
  if (netnsId) await run("ip", ["netns", "del", netns]);
  // 4. Files: the state folder, /root/.ssh if we made it and no other second host may use it.
  await fs.remove(dir);
  await fs.remove(stateFile);
  if (state.madeRootSsh && liveStates().length === 0) {
    await fs.rmdir("/root/.ssh").catch(() => undefined); // not empty: someone else's now, kept
  }
  if (left.length) throw new Error(`second host: processes in ${netns} outlived SIGKILL: ${left.map((pid) => `${pid} ${comm(pid)}`).join(", ")}`);
}

function comm(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

/** The inode of a named network namespace (as in /proc/<pid>/ns/net, "net:[inode]"), or 0. */
async function namespaceId(netns: string): Promise<number> {
  try {
    // iproute2 include/namespace.h NETNS_RUN_DIR ("/var/run/netns"; /var/run is /run): `ip netns add` bind-mounts it there.
    return (await fs.stat(path.join("/run/netns", netns))).ino;
  } catch {
    return 0;
  }
}

/** Pids of the processes whose network namespace is `netnsId`. */
export function processesIn(netnsId: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/ns/net`) === `net:[${netnsId}]`) found.push(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  return found.filter(isRunning);
}

/** SIGTERM, up to 5 s to end, then SIGKILL. */
async function endProcesses(pids: number[]): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  pids.forEach((pid) => signal(pid, "SIGTERM"));
  for (let i = 0; i < 100 && pids.some(isRunning); i++) await sleep(50);
  pids.filter(isRunning).forEach((pid) => signal(pid, "SIGKILL"));
  for (let i = 0; i < 40 && pids.some(isRunning); i++) await sleep(50);
}

/** Running and not a zombie (a zombie has ended; its parent or init reaps it). */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function readPid(dir: string, file: string): Promise<number> {
  const pid = Number((await fs.readFile(path.join(dir, file), "utf8")).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file}: no pid`);
  return pid;
}

function names(list: string): string[] {
  return list
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** State files of second hosts whose owner still runs. */
function liveStates(): { state: State; file: string }[] {
  return allStates().filter(({ state }) => isRunning(state.owner));
}

function allStates(): { state: State; file: string }[] {
  const found: { state: State; file: string }[] = [];
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (!entry.startsWith(STATE_PREFIX) || !entry.endsWith(".json")) continue;
    const file = path.join(os.tmpdir(), entry);
    try {
      found.push({ state: JSON.parse(fs.readFileSync(file, "utf8")), file });
    } catch {
      // half-written by a process that died: nothing in it to undo
    }
  }
  return found;
}

/** Undoes the second hosts of processes that died before their stop. */
async function cleanStale(): Promise<void> {
  for (const { state, file } of allStates()) if (!isRunning(state.owner)) await undo(state, file);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
