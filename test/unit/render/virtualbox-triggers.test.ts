// The NAT Network trigger of a VirtualBox Vagrantfile, run by real Ruby against a stand-in
// VBoxManage (VirtualBox cannot be installed here) that logs its calls: the network is
// created when missing and left alone when it exists, in both VirtualBox 6.1's and 7's
// `list natnets` formats.
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
    `#!/bin/sh\necho "$*" >> "${log}"\ncase "$1" in list) printf '%s' "$LISTING";; *) exit $ADD_STATUS;; esac\n`,
    { mode: 0o755 },
  );
  return { PATH: `${bin}:${process.env.PATH}`, LISTING: listing, ADD_STATUS: String(addStatus), KVM_LAB_RUN_TRIGGERS: "1" };
}

async function runTriggers(env: Record<string, string>) {
  const file = path.join(dir, "Vagrantfile");
  const result = (await readWithRuby([file], env))[file];
  const calls = (await fs.readFile(log, "utf8").catch(() => "")).trim().split("\n").filter(Boolean);
  return { result, calls };
}

test("creates the NAT Network and host-only network when missing", async () => {
  const { result, calls } = await runTriggers(await standIn(""));
  expect(result.ok).toBe(true);
  expect(calls).toEqual([
    "list natnets",
    "natnetwork add --netname trig-outside --network 10.0.5.0/24 --enable --dhcp on",
    "list hostonlynets",
    "hostonlynet add --name trig-vbox7 --netmask 255.255.255.0 --lower-ip 192.168.58.128 --upper-ip 192.168.58.254 --enable",
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

test("a failed create stops vagrant up with the network named", async () => {
  const { result } = await runTriggers(await standIn("", 1));
  expect(result.ok).toBe(false);
  expect(result.error).toContain("kvm-lab: could not create the NAT Network trig-outside (10.0.5.0/24)");
});
