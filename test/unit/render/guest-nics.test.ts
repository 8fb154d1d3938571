// The guest script that sets up the NICs Vagrant does not configure (templates/guest-nics.sh),
// run by the real sh with KVMLAB_NICS_ROOT: the files it writes for each backend a box may
// use. (The end-to-end VirtualBox lab runs it for real, on systemd-networkd.)
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { ROOT, tempDir } from "../../support/tools.js";

const SCRIPT = path.join(ROOT, "templates", "guest-nics.sh");
const ARGS = ["08:00:27:aa:bb:01", "dhcp", "08:00:27:aa:bb:02", "10.0.9.200/24,10.0.9.1", "08:00:27:aa:bb:03", "up"];

let root: string;
beforeEach(async () => (root = await tempDir("kvm-lab-nics-")));
afterEach(() => fs.remove(root));

const run = (backend: string, args = ARGS) => execa("sh", [SCRIPT, ...args], { env: { KVMLAB_NICS_ROOT: root, KVMLAB_NICS_BACKEND: backend }, reject: false });
const read = (file: string) => fs.readFile(path.join(root, file), "utf8");

test("systemd-networkd: one .network file per NIC, matched by MAC, ahead of the box's and Vagrant's", async () => {
  expect((await run("networkd")).exitCode).toBe(0);
  expect(await read("etc/systemd/network/10-kvmlab-080027aabb01.network")).toBe("[Match]\nMACAddress=08:00:27:aa:bb:01\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\nRouteMetric=200\n");
  expect(await read("etc/systemd/network/10-kvmlab-080027aabb02.network")).toBe(
    "[Match]\nMACAddress=08:00:27:aa:bb:02\n\n[Network]\nAddress=10.0.9.200/24\n\n[Route]\nGateway=10.0.9.1\nMetric=200\n",
  );
  expect(await read("etc/systemd/network/10-kvmlab-080027aabb03.network")).toContain("LinkLocalAddressing=no");
});

test("netplan: one file, each NIC matched by MAC; real YAML", async () => {
  expect((await run("netplan")).exitCode).toBe(0);
  const yaml = await read("etc/netplan/60-kvm-lab.yaml");
  const { stdout } = await execa("ruby", ["-ryaml", "-rjson", "-e", "puts JSON.generate(YAML.safe_load(STDIN.read))"], { input: yaml });
  expect(JSON.parse(stdout)).toEqual({
    network: {
      version: 2,
      ethernets: {
        "kvmlab-080027aabb01": { match: { macaddress: "08:00:27:aa:bb:01" }, dhcp4: true, "dhcp4-overrides": { "route-metric": 200 } },
        "kvmlab-080027aabb02": { match: { macaddress: "08:00:27:aa:bb:02" }, dhcp4: false, addresses: ["10.0.9.200/24"], routes: [{ to: "default", via: "10.0.9.1", metric: 200 }] },
        "kvmlab-080027aabb03": { match: { macaddress: "08:00:27:aa:bb:03" }, dhcp4: false, "link-local": [] },
      },
    },
  });
  expect((await fs.stat(path.join(root, "etc/netplan/60-kvm-lab.yaml"))).mode & 0o777).toBe(0o600);
});

test("ifupdown: an interfaces.d stanza per NIC", async () => {
  expect((await run("ifupdown", ["08:00:27:aa:bb:02", "10.0.9.200/24,10.0.9.1"])).exitCode).toBe(0);
  expect(await read("etc/network/interfaces.d/kvmlab-080027aabb02")).toBe("auto eth9\niface eth9 inet static\n    address 10.0.9.200/24\n    gateway 10.0.9.1\n    metric 200\n");
});

test("NetworkManager: one connection per NIC", async () => {
  expect((await run("networkmanager")).exitCode).toBe(0);
  expect((await read("nmcli.log")).trim().split("\n").map((l) => l.trimEnd())).toEqual([
    "nmcli kvmlab-080027aabb01 eth9 dhcp",
    "nmcli kvmlab-080027aabb02 eth9 static 10.0.9.200/24 10.0.9.1",
    "nmcli kvmlab-080027aabb03 eth9 up",
  ]);
});

test("an unknown mode is refused with the MAC named", async () => {
  const result = await run("networkd", ["08:00:27:aa:bb:01", "bogus"]);
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe("kvm-lab: unknown mode bogus for 08:00:27:aa:bb:01");
});
