// libvirtd for the tests, inside a network namespace of their own so that any network it
// starts stays there. Reused when one already answers; stopped only if we started it.
// While it runs, /dev/kvm is open to the kvm group as udev makes it on a Debian host (see
// openKvmToGroup): without that, libvirtd probes QEMU again on every call.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const STATE_FILE = path.join(os.tmpdir(), "kvm-lab-test-libvirtd.json");

export function libvirtReachable() {
  return spawnSync("virsh", ["-c", "qemu:///system", "version"], { stdio: "ignore", timeout: 10000 }).status === 0;
}

function which(binary) {
  for (const dir of ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]) {
    if (fs.existsSync(path.join(dir, binary))) return path.join(dir, binary);
  }
  return undefined;
}

/** The pids of running libvirtd processes. */
function runningLibvirtds() {
  return fs.readdirSync("/proc").filter((pid) => /^\d+$/.test(pid) && isRunning(pid) && readComm(pid) === "libvirtd");
}

function readComm(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

const KVM = "/dev/kvm";

/** The gid of group `name`, or undefined. */
function groupId(name) {
  const line = fs.readFileSync("/etc/group", "utf8").split("\n").find((l) => l.startsWith(`${name}:`));
  return line ? Number(line.split(":")[2]) : undefined;
}

/**
 * Opens /dev/kvm to the kvm group (group kvm, read-write for it), as udev does on a Debian
 * host (systemd rules.d/50-udev-default.rules.in: KERNEL=="kvm", GROUP="kvm"); returns its
 * owner and mode before, to put back, or undefined when nothing changed. Where no udev ran
 * (this machine: root:root 0600), libvirt-qemu (in group kvm) cannot open it, while QEMU's
 * capabilities were probed with KVM: libvirt then finds its cached capabilities outdated at
 * every look-up ("KVM was enabled when probing '%s', but it is not available now",
 * virQEMUCapsIsValid in libvirt's src/qemu/qemu_capabilities.c) and probes QEMU again, 4 s
 * on two cores, for each `virsh version`, define and start. The domains the tests make are
 * TCG ones (type 'qemu') either way.
 */
export function openKvmToGroup(file = KVM) {
  const gid = groupId("kvm");
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (gid === undefined || (stat.gid === gid && (stat.mode & 0o060) === 0o060)) return undefined;
  fs.chownSync(file, stat.uid, gid);
  fs.chmodSync(file, (stat.mode & 0o7777) | 0o060);
  return { uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777 };
}

/** Puts /dev/kvm's owner and mode back as openKvmToGroup found them. */
export function restoreKvm(before, file = KVM) {
  if (!before) return;
  try {
    fs.chownSync(file, before.uid, before.gid);
    fs.chmodSync(file, before.mode);
  } catch {
    // gone (module unloaded): nothing to put back
  }
}

/** Starts virtlogd and libvirtd in a fresh netns; returns why not when it cannot. */
export function startLibvirtd() {
  if (libvirtReachable()) return { started: false, reason: "already running" };
  // A libvirtd that is slow to answer (a loaded host) is still the system's: a second one
  // would take its socket over and, stopped after this run, leave the first without one.
  const running = runningLibvirtds();
  if (running.length) return { started: false, reason: `libvirtd ${running.join(", ")} is running but does not answer virsh` };
  if (!which("libvirtd") || !which("virtlogd")) return { started: false, reason: "libvirtd is not installed (apt-get install libvirt-daemon-system)" };
  if (process.getuid?.() !== 0) return { started: false, reason: "not root: cannot start libvirtd" };
  const netns = `kvmlab-test-${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kvm-lab-libvirtd-"));
  execFileSync("ip", ["netns", "add", netns]);
  // From here on the state file names what to stop, so a daemon that fails to start (another
  // libvirtd holding its pid file, say) still leaves no namespace behind.
  fs.writeFileSync(STATE_FILE, JSON.stringify({ netns, dir, owner: process.pid }));
  // Before the daemon's first probe of QEMU, so that the probe and every later look-up agree.
  const kvmBefore = openKvmToGroup();
  if (kvmBefore) fs.writeFileSync(STATE_FILE, JSON.stringify({ netns, dir, owner: process.pid, kvmBefore }));
  try {
    execFileSync("ip", ["netns", "exec", netns, "ip", "link", "set", "lo", "up"]);
    execFileSync("ip", ["netns", "exec", netns, "virtlogd", "-d", "-p", path.join(dir, "virtlogd.pid")]);
    execFileSync("ip", ["netns", "exec", netns, "libvirtd", "-d", "-p", path.join(dir, "libvirtd.pid")]);
  } catch (error) {
    stopLibvirtd();
    return { started: false, reason: `libvirtd did not start: ${String(error.message).split("\n")[0]}` };
  }
  for (let i = 0; i < 50 && !libvirtReachable(); i++) execFileSync("sleep", ["0.2"]);
  return { started: true, reason: libvirtReachable() ? "started" : "started but not answering" };
}

function isRunning(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Stops the libvirtd this process started (another test run's is left alone). */
export function stopLibvirtd() {
  if (!fs.existsSync(STATE_FILE)) return;
  const { netns, dir, owner, kvmBefore } = JSON.parse(fs.readFileSync(STATE_FILE, "utf8"));
  if (owner !== process.pid) return;
  const pids = [];
  for (const name of ["libvirtd.pid", "virtlogd.pid"]) {
    try {
      const pid = Number(fs.readFileSync(path.join(dir, name), "utf8").trim());
      process.kill(pid, "SIGTERM");
      pids.push(pid);
    } catch {
      // already gone
    }
  }
  // Wait for them to end (a zombie has ended; init reaps it), then make sure.
  for (let i = 0; i < 50 && pids.some(isRunning); i++) execFileSync("sleep", ["0.2"]);
  for (const pid of pids.filter(isRunning)) process.kill(pid, "SIGKILL");
  spawnSync("ip", ["netns", "del", netns]);
  restoreKvm(kvmBefore);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(STATE_FILE, { force: true });
}
