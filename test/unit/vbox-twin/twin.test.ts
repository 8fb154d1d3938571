// The VBoxManage twin without booting anything: its grammar against VirtualBox's sources
// (the self-check), Vagrant's own VirtualBox driver reading what it prints (import,
// adapters, forwards, snapshots, delete), and a QEMU the registry does not know as running
// (a twin that died while starting it) stopped by the next call.
import { spawn } from "node:child_process";
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { boxOvf } from "../../../src/boxes/formats.js";
import { ROOT, tempDir, TWIN_BIN } from "../../support/tools.js";

const TWIN = path.join(ROOT, "test", "support", "vbox-twin");
let dir: string;
let env: Record<string, string>;
beforeEach(async () => {
  dir = await tempDir("kvmlab-twin-unit-");
  env = { PATH: `${TWIN_BIN}:${process.env.PATH}`, KVMLAB_TWIN_HOME: path.join(dir, "home") };
});
afterEach(() => fs.remove(dir));

const vbox = (args: string[], extra: Record<string, string> = {}) => execa("VBoxManage", args, { env: { ...env, ...extra }, reject: false });

test("the grammar's self-check: every version and host, Vagrant's and kvm-lab's command lines", async () => {
  const { stdout } = await execa("node", [path.join(TWIN, "grammar", "selfcheck.mjs")]);
  expect(stdout).toMatch(/^selfcheck: \d+ assertions passed$/m);
});

test("VBoxManage's version and refusals as each version and host has them", async () => {
  expect((await vbox(["--version"], { KVMLAB_TWIN_VBOX: "6.1" })).stdout).toMatch(/^6\.1\.\d+r\d+$/);
  expect((await vbox(["--version"], { KVMLAB_TWIN_VBOX: "7.1" })).stdout).toMatch(/^7\.1\.\d+r\d+$/);
  const linux = await vbox(["list", "hostonlynets"], { KVMLAB_TWIN_HOST: "linux" });
  expect(linux.exitCode).not.toBe(0);
  expect(linux.stderr).toContain('Unknown subcommand "hostonlynets"');
  const darwin = await vbox(["list", "hostonlynets"], { KVMLAB_TWIN_HOST: "darwin" });
  expect(darwin.exitCode).toBe(0);
  const old = await vbox(["modifyvm", "m", "--nat-localhostreachable1", "on"], { KVMLAB_TWIN_VBOX: "6.1" });
  expect(old.exitCode).toBe(1);
  expect(old.stderr).toContain("Unknown option: --nat-localhostreachable1");
  const log = await fs.readFile(path.join(dir, "home", "calls.log"), "utf8");
  expect(log).toContain('["modifyvm","m","--nat-localhostreachable1","on"]\n  rejected (1)');
});

test("Vagrant's VirtualBox driver reads the twin: import, adapters, forwards, snapshots, delete", async () => {
  await execa("qemu-img", ["create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized", path.join(dir, "probe-disk001.vmdk"), "64M"]);
  await fs.writeFile(path.join(dir, "box.ovf"), boxOvf({ name: "probe" } as Parameters<typeof boxOvf>[0], "probe-disk001.vmdk", 64 * 2 ** 20));
  const { stdout } = await execa("ruby", [path.join(TWIN, "driver-probe.rb"), path.join(dir, "box.ovf")], { env });
  const read = JSON.parse(stdout.trim().split("\n").pop()!);
  expect(read).toMatchObject({
    version: "7.0.20",
    imported: true,
    state: "poweroff",
    machine_folder: path.join(dir, "home", "VirtualBox VMs"),
    forwarded: [[1, "ssh", 2222, 22, "127.0.0.1"]],
    ssh_port: 2222,
    nics: { 1: { type: "nat" }, 2: { type: "intnet" }, 3: { type: "null" }, 4: { type: "none" } },
    mac: "080027C0FFEE",
    forwarded_after_clear: [],
    snapshots_none: [],
    snapshots: ["clean", "second"],
    snapshots_after_delete: ["clean"],
    storage: [{ name: "SATA Controller", type: "IntelAhci" }],
    vm_exists: true,
    vm_exists_after_delete: false,
    vms_after_delete: [],
  });
  expect(read.macs[2]).toBe("080027000002");
}, 60_000);

test("a QEMU left by a twin that died while starting it is stopped by the next call", async () => {
  const home = path.join(dir, "home");
  const uuid = "00000000-0000-4000-8000-000000000001";
  await fs.ensureDir(path.join(home, "vms", uuid));
  // Registered as powered off, yet a process runs under its pid file: what a crash mid-startvm leaves.
  const orphan = spawn("sleep", ["600"], { detached: true, stdio: "ignore" });
  await fs.writeFile(path.join(home, "vms", uuid, "qemu.pid"), String(orphan.pid));
  await fs.writeJson(path.join(home, "vms", uuid, "vm.json"), { uuid, name: "orphan", created: 1, state: "poweroff", nics: {} });
  const exited = new Promise((resolve) => orphan.once("exit", resolve));
  const list = await vbox(["list", "vms"]);
  expect(list.stderr).toBe("");
  expect(list.stdout).toBe('"orphan" {00000000-0000-4000-8000-000000000001}');
  await expect(exited).resolves.toBeDefined();
  expect(await fs.pathExists(path.join(home, "vms", uuid, "qemu.pid"))).toBe(false);
});

const asRoot = process.getuid?.() === 0 ? test : test.skip;
asRoot("a bridged adapter's device that is not a bridge gets one in front, its address and routes moved there and put back", async () => {
  // In a network namespace of its own (unshare -n): nothing of the host's is touched.
  const script = `
    import { execFileSync } from "node:child_process";
    import { bridgeInFrontOf, releaseBridgeOf } from ${JSON.stringify(path.join(TWIN, "plumbing.mjs"))};
    const ip = (...a) => execFileSync("ip", a).toString().trim();
    ip("link", "set", "lo", "up");
    ip("link", "add", "lan0", "type", "veth", "peer", "name", "lan1");
    ip("link", "set", "lan1", "up");
    ip("link", "set", "lan0", "up");
    ip("addr", "add", "198.51.100.1/24", "dev", "lan0");
    ip("route", "add", "203.0.113.0/24", "via", "198.51.100.254", "dev", "lan0");
    const bridge = bridgeInFrontOf("lan0");
    const during = { bridge, again: bridgeInFrontOf("lan0"), master: ip("-o", "link", "show", "lan0"), on: ip("-4", "-o", "addr", "show", "dev", bridge), route: ip("route", "show", "203.0.113.0/24") };
    releaseBridgeOf("lan0");
    const after = { on: ip("-4", "-o", "addr", "show", "dev", "lan0"), route: ip("route", "show", "203.0.113.0/24"), links: ip("-o", "link", "show") };
    console.log(JSON.stringify({ during, after }));`;
  const { stdout } = await execa("unshare", ["-n", "node", "--input-type=module", "-e", script], { env });
  const { during, after } = JSON.parse(stdout);
  expect(during.bridge).toMatch(/^twg-[0-9a-f]{8}$/);
  expect(during.again).toBe(during.bridge);
  expect(during.master).toContain(`master ${during.bridge}`);
  expect(during.on).toContain("198.51.100.1/24");
  expect(during.route).toContain(`via 198.51.100.254 dev ${during.bridge}`);
  expect(after.on).toContain("198.51.100.1/24");
  expect(after.route).toContain("via 198.51.100.254 dev lan0");
  expect(after.links).not.toContain("twg-");
});
