// End-to-end helpers: boxes built once and kept between runs, and vagrant run inside the
// tests' own network namespace (where their libvirtd runs), so every bridge and VM packet
// stays inside it.
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { buildBox, type BuildResult } from "../../src/boxes/build.js";
import type { BoxProvider } from "../../src/boxes/formats.js";
import { ROOT, tempDir } from "./tools.js";
import { BIN } from "./cli.js";

/** Boxes outlive a test run, so later runs on this machine reuse them. */
export const BOX_OUT = process.env.KVM_LAB_TEST_BOXES ?? "/var/tmp/kvm-lab-boxes";
/** Outside /root: QEMU runs as libvirt-qemu and must read the box images. */
export const E2E_VAGRANT_HOME = "/var/tmp/kvm-lab-e2e-vagrant-home";
/** What test/support/libvirtd.mjs wrote about the libvirtd it started: {netns, dir, owner}. */
export const STATE_FILE = path.join(os.tmpdir(), "kvm-lab-test-libvirtd.json");

/** The namespace the tests' libvirtd runs in, or why there is none. */
export function testNetns(): { netns?: string; reason?: string } {
  if (process.getuid?.() !== 0) return { reason: "not root" };
  if (!fs.existsSync(STATE_FILE)) return { reason: "libvirtd was not started by the tests in a network namespace of their own" };
  return { netns: JSON.parse(fs.readFileSync(STATE_FILE, "utf8")).netns };
}

/** Why VM tests cannot run here, or undefined when they can (QEMU software emulation is enough). */
export function cannotBootVms(): string | undefined {
  const { reason } = testNetns();
  if (reason) return reason;
  if (!fs.existsSync("/usr/bin/qemu-system-x86_64")) return "qemu-system-x86 is not installed";
  return undefined;
}

/** KVM where asked for (KVM_LAB_E2E_ACCEL=kvm), else QEMU's software emulation: see shared/E2E-NOTES.md. */
export function e2eAccel(): "kvm" | "tcg" {
  return process.env.KVM_LAB_E2E_ACCEL === "kvm" ? "kvm" : "tcg";
}

/**
 * Builds (or reuses) a recipe's boxes for both providers at once: the libvirt and the
 * VirtualBox tests need both, and one build makes both from the same disk.
 */
export async function buildTestBox(recipe: string): Promise<BuildResult> {
  return buildBox({ recipe, providers: BOTH_PROVIDERS, outDir: BOX_OUT, progress: (line) => process.stderr.write(`${line}\n`) });
}

const BOTH_PROVIDERS: BoxProvider[] = ["libvirt", "virtualbox"];

export interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** `vagrant ...` in `cwd`, inside the test namespace, with the e2e VAGRANT_HOME; bounded in time. */
export async function vagrantInNetns(args: string[], cwd: string, timeoutMs: number, env: Record<string, string> = {}): Promise<Run> {
  const { netns } = testNetns();
  const result = await execa("ip", ["netns", "exec", netns!, "vagrant", ...args], {
    cwd,
    env: { VAGRANT_HOME: E2E_VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1", VAGRANT_DEFAULT_PROVIDER: "libvirt", ...env },
    reject: false,
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    stdin: "ignore",
    all: true,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.all) };
}

/** A lab folder the VMs' QEMU (running as libvirt-qemu) can read, with this config in it. */
export async function labDir(prefix: string, config: string): Promise<string> {
  const dir = await tempDir(prefix);
  await fs.chmod(dir, 0o755);
  await fs.writeFile(path.join(dir, "kvm-lab.config.ts"), config);
  return dir;
}

/** kvm-lab itself inside the test namespace, as a user would run it there; bounded in time. */
export async function kvmLabInNetns(args: string[], cwd: string, timeoutMs: number, env: Record<string, string> = {}): Promise<Run> {
  const result = await execa("ip", ["netns", "exec", testNetns().netns!, "node", BIN, ...args], {
    cwd,
    env: { VAGRANT_HOME: E2E_VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1", CI: "1", ...env },
    reject: false,
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * Adds (or replaces) a box from its catalog for one provider, as the only version of that
 * box: Vagrant boots the highest installed version when a Vagrantfile pins none
 * (lib/vagrant/box_collection.rb, find), and a content version's digest part does not grow
 * with time, so an older build left in VAGRANT_HOME could win. vagrant-libvirt keeps each
 * box's image in libvirt's storage pool by name and version: drop those images too.
 */
export async function addBox(catalog: string, provider: BoxProvider): Promise<void> {
  const { name } = await fs.readJson(catalog);
  const stale = `${String(name).replace("/", "-VAGRANTSLASH-")}_vagrant_box_image_`;
  const volumes = String((await execa("virsh", ["-c", "qemu:///system", "vol-list", "--pool", "default"], { reject: false })).stdout);
  for (const volume of volumes.split("\n").map((l) => l.trim().split(/\s+/)[0]).filter((v) => v?.startsWith(stale))) {
    await execa("virsh", ["-c", "qemu:///system", "vol-delete", "--pool", "default", volume], { reject: false });
  }
  await fs.ensureDir(E2E_VAGRANT_HOME);
  await fs.chmod(E2E_VAGRANT_HOME, 0o755);
  await execa("vagrant", ["box", "remove", "--force", "--all", "--provider", provider, name], {
    env: { VAGRANT_HOME: E2E_VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1" },
    reject: false,
  });
  const result = await execa("vagrant", ["box", "add", "--force", "--provider", provider, catalog], {
    env: { VAGRANT_HOME: E2E_VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1" },
    reject: false,
    all: true,
  });
  if (result.exitCode !== 0) throw new Error(`vagrant box add failed:\n${result.all}`);
}

export interface OutsideStandIn {
  stop(): Promise<void>;
}

/**
 * The "outside" the network checks probe: a namespace of its own behind a veth from the
 * tests' namespace, with a TCP listener on `address:port`. The tests' side of the veth
 * holds `hostAddress`, or joins `bridge` (made here, holding `hostAddress`: a host LAN that
 * bridged NICs can join). Nothing leaves the two namespaces.
 */
export async function startOutsideStandIn(options: { name: string; hostSide: string; hostAddress: string; address: string; port: number; bridge?: string }): Promise<OutsideStandIn> {
  const netns = testNetns().netns!;
  const inNs = (ns: string, ...args: string[]) => execa("ip", ["netns", "exec", ns, ...args]);
  const prefix = "/24";
  await execa("ip", ["netns", "add", options.name]);
  await inNs(options.name, "ip", "link", "set", "lo", "up");
  await execa("ip", ["link", "add", options.hostSide, "netns", netns, "type", "veth", "peer", "name", "out0", "netns", options.name]);
  if (options.bridge) {
    await inNs(netns, "ip", "link", "add", options.bridge, "type", "bridge");
    await inNs(netns, "ip", "link", "set", options.hostSide, "master", options.bridge);
    await inNs(netns, "ip", "link", "set", options.bridge, "up");
  }
  await inNs(netns, "ip", "addr", "add", `${options.hostAddress}${prefix}`, "dev", options.bridge ?? options.hostSide);
  await inNs(netns, "ip", "link", "set", options.hostSide, "up");
  await inNs(options.name, "ip", "addr", "add", `${options.address}${prefix}`, "dev", "out0");
  await inNs(options.name, "ip", "link", "set", "out0", "up");
  const listener = execa("ip", ["netns", "exec", options.name, process.execPath, "-e", `require("net").createServer((s) => s.destroy()).listen(${options.port}, "${options.address}")`], {
    reject: false,
  });
  return {
    stop: async () => {
      listener.kill("SIGKILL");
      await listener.catch(() => undefined);
      await execa("ip", ["netns", "del", options.name], { reject: false });
      await inNs(netns, "ip", "link", "del", options.hostSide).catch(() => undefined);
      if (options.bridge) await inNs(netns, "ip", "link", "del", options.bridge).catch(() => undefined);
    },
  };
}

/** Domains, networks and volumes libvirt holds whose names contain `marker`. */
export async function libvirtLeftovers(marker: string): Promise<string[]> {
  const list = async (args: string[]) =>
    String((await execa("virsh", ["-c", "qemu:///system", ...args], { reject: false })).stdout)
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.includes(marker));
  return [
    ...(await list(["list", "--all", "--name"])).map((d) => `domain ${d}`),
    ...(await list(["net-list", "--all", "--name"])).map((n) => `network ${n}`),
  ];
}

export { ROOT };
