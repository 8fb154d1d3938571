// Where VirtualBox's host-only range is enforced (Vagrant's validate_hostonly_ip!), and
// networks.conf read as Vagrant reads it.
import path from "node:path";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import { enforcesHostOnlyRanges, hostOnlyRangeProblems, readNetworksConf } from "../../../src/host/host-only-ranges.js";
import { tempDir } from "../../support/tools.js";

const lab = checkConfig({
  name: "lab",
  box: "b",
  networks: { mgmt: { mode: "hostonly", cidr: "172.16.20.0/24" }, ok: { mode: "hostonly", cidr: "192.168.57.0/24" } },
  machines: [{ name: "m", nics: [{ network: "mgmt", ip: "172.16.20.10" }, { network: "ok", ip: "192.168.57.10" }] }],
}).lab;

test("enforced on Linux from VirtualBox 6.1.28, on macOS before 7.0, never on Windows", () => {
  expect(enforcesHostOnlyRanges("linux", "6.1.27")).toBe(false);
  expect(enforcesHostOnlyRanges("linux", "6.1.28")).toBe(true);
  expect(enforcesHostOnlyRanges("linux", "7.1.4")).toBe(true);
  expect(enforcesHostOnlyRanges("darwin", "6.1.50")).toBe(true);
  expect(enforcesHostOnlyRanges("darwin", "7.0.20")).toBe(false);
  expect(enforcesHostOnlyRanges("win32", "7.0.20")).toBe(false);
});

test("the network outside the ranges is refused with the networks.conf line; networks.conf widens them", () => {
  const problems = hostOnlyRangeProblems(lab, { platform: "linux", virtualbox: "7.0.20" });
  expect(problems).toEqual([
    {
      path: "networks.mgmt.cidr",
      message: "172.16.20.0/24 is outside the host-only ranges VirtualBox 7.0.20 allows on this host (192.168.56.0/21)",
      fix: 'add the line "* 172.16.20.0/24" to /etc/vbox/networks.conf, or pick a block inside 192.168.56.0/21',
    },
  ]);
  expect(hostOnlyRangeProblems(lab, { platform: "win32", virtualbox: "7.0.20" })).toEqual([]);
});

test("networks.conf: the '*' lines' IPv4 blocks, others ignored; no file, no list", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "networks.conf");
    await fs.writeFile(file, "# comment\n* 10.0.0.0/8 192.168.0.0/16\n*  fd00::/8\nnot a range\n* 172.16.0.0/12\n");
    expect(readNetworksConf(file)!.map((c) => c.text)).toEqual(["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"]);
    expect(readNetworksConf(path.join(dir, "missing"))).toBeUndefined();
    const ranges = readNetworksConf(file);
    expect(hostOnlyRangeProblems(lab, { platform: "linux", virtualbox: "7.0.20", ranges })).toEqual([]);
  } finally {
    await fs.remove(dir);
  }
});
