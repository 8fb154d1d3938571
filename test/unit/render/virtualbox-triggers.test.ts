// The triggers of a VirtualBox Vagrantfile, run by real Ruby through a machine whose driver
// runs a stand-in VBoxManage that logs its calls (the end-to-end tests run them in the real
// Vagrant against the VBoxManage twin): the NAT Network is created when missing and left
// alone when it exists, in both VirtualBox 6.1's and 7's `list natnets` layouts; VirtualBox
// 7 host-only networks only on macOS; a failing VBoxManage stops `vagrant up` with one line.
import path from "node:path";
import fs from "fs-extra";
import { readWithRuby, render, tempDir } from "../../support/tools.js";

const LAB = {
  name: "trig",
  box: "b",
  networks: {
    outside: { mode: "natnetwork" as const, cidr: "10.0.5.0/24" },
    vbox7: { mode: "hostonlynet" as const, cidr: "192.168.58.0/24" },
  },
  machines: [{ name: "m", nics: [{ network: "outside" }, { network: "vbox7" }] }],
};

let dir: string;
let log: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-trigger-");
  log = path.join(dir, "calls.log");
  await fs.writeFile(path.join(dir, "Vagrantfile"), render(LAB));
});
afterEach(() => fs.remove(dir));

/** A VBoxManage that logs each call and answers `list` with $LISTING; `add` exits $ADD_STATUS. */
async function standIn(listing: string, addStatus = 0): Promise<Record<string, string>> {
  const bin = path.join(dir, "bin");
  await fs.ensureDir(bin);
  await fs.writeFile(
    path.join(bin, "VBoxManage"),
    `#!/bin/sh\necho "$*" >> "${log}"\ncase "$1" in list) printf '%s' "$LISTING";; *) [ "$ADD_STATUS" = 0 ] || echo "VBoxManage: error: boom" >&2; exit $ADD_STATUS;; esac\n`,
    { mode: 0o755 },
  );
  return { PATH: `${bin}:${process.env.PATH}`, LISTING: listing, ADD_STATUS: String(addStatus), KVM_LAB_RUN_TRIGGERS: "1" };
}

async function runTriggers(env: Record<string, string>, host = "linux") {
  env = { ...env, KVM_LAB_HOST: host };
  const file = path.join(dir, "Vagrantfile");
  const result = (await readWithRuby([file], env))[file];
  const calls = (await fs.readFile(log, "utf8").catch(() => "")).trim().split("\n").filter(Boolean);
  return { result, calls };
}

test("creates the NAT Network when missing; on macOS with VirtualBox 7 the host-only network too (the host on .1)", async () => {
  const linux = await runTriggers(await standIn(""));
  expect(linux.result.ok).toBe(true);
  expect(linux.calls).toEqual(["list natnets", "natnetwork add --netname trig-outside --network 10.0.5.0/24 --enable --dhcp on"]);
  await fs.remove(log);
  const macos = await runTriggers(await standIn(""), "darwin");
  expect(macos.result.ok).toBe(true);
  expect(macos.calls).toEqual([
    "list natnets",
    "natnetwork add --netname trig-outside --network 10.0.5.0/24 --enable --dhcp on",
    "list hostonlynets",
    "hostonlynet add --name trig-vbox7 --netmask 255.255.255.0 --lower-ip 192.168.58.1 --upper-ip 192.168.58.254 --enable",
  ]);
});

test.each([
  ["VirtualBox 6.1", "NetworkName:    trig-outside\nIP:             10.0.5.1\n\nNetworkName:    other\n"],
  ["VirtualBox 7", "Name:         trig-outside\nNetwork:      10.0.5.0/24\n\nName:         trig-vbox7\n"],
])("leaves an existing one alone (%s listing)", async (_version, listing) => {
  const { result, calls } = await runTriggers(await standIn(listing));
  expect(result.ok).toBe(true);
  expect(calls.filter((c) => c.startsWith("natnetwork add"))).toEqual([]);
});

test("a failing VBoxManage stops vagrant up with one line: the command and VirtualBox's error", async () => {
  const { result } = await runTriggers(await standIn("", 1));
  expect(result.ok).toBe(false);
  expect(result.error).toContain("kvm-lab: `VBoxManage natnetwork add --netname trig-outside --network 10.0.5.0/24 --enable --dhcp on` failed: VBoxManage: error: boom");
  expect(result.error).toMatch(/KvmLab::Error/);
});
