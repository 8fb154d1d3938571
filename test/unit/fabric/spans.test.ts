// Networks that span hosts (src/fabric/spans.ts), their libvirt network XML per host
// (network-xml.ts, checked by xmllint), and the rules that go with them (config/rules-spans.ts).
import { execa } from "execa";
import { checkConfig } from "../../../src/config/load.js";
import type { HostConfig, LabConfig, MachineConfig } from "../../../src/config/types.js";
import { spanNetworkXml } from "../../../src/fabric/network-xml.js";
import { spansOf } from "../../../src/fabric/spans.js";
import { problemAt, problemsOf } from "../../support/problems.js";

const A: HostConfig = { uri: "qemu:///system", cpus: 8, memory: 16384 };
const B: HostConfig = { uri: "qemu+ssh://root@198.51.100.2/system", cpus: 8, memory: 16384 };

function lab(machines: MachineConfig[], hosts: Record<string, HostConfig> = { a: A, b: B }): LabConfig {
  return {
    name: "span",
    provider: "libvirt",
    box: "debian/bookworm64",
    hosts,
    networks: {
      lan: { mode: "hostonly", cidr: "192.168.57.0/24" },
      back: { mode: "intnet", cidr: "10.30.0.0/24" },
      ext: { mode: "natnetwork", cidr: "10.0.7.0/24" },
      solo: { mode: "intnet", cidr: "10.31.0.0/24" },
    },
    machines,
  };
}

const TWO = lab([
  { name: "ma", host: "a", nics: [{ network: "lan", ip: "192.168.57.10" }, { network: "back", ip: "10.30.0.10" }, { network: "ext" }, { network: "solo", ip: "10.31.0.10" }] },
  { name: "mb", host: "b", nics: [{ network: "lan" }, { network: "back", ip: "10.30.0.11" }, { network: "ext" }] },
  { name: "mc", host: "a", nics: [{ network: "solo", ip: "10.31.0.11" }] },
]);

describe("spansOf", () => {
  test("networks with machines on two hosts span them; one used on a single host does not", () => {
    const spans = spansOf(checkConfig(TWO).lab);
    expect(spans.map((s) => [s.network.key, s.hosts, s.home])).toEqual([
      ["lan", ["a", "b"], "a"],
      ["back", ["a", "b"], "a"],
      ["ext", ["a", "b"], "a"],
    ]);
  });

  test("the home holds the host side (address, DHCP, NAT); the others an address below the DHCP range and nothing else", () => {
    const [lan, back, ext] = spansOf(checkConfig(TWO).lab);
    expect(lan.parts).toEqual([
      { host: "a", hostIp: "192.168.57.1", dhcp: { start: "192.168.57.128", end: "192.168.57.254" }, forwardMode: "none" },
      { host: "b", hostIp: "192.168.57.127", forwardMode: "none" },
    ]);
    expect(back.parts).toEqual([{ host: "a", forwardMode: "veryisolated" }, { host: "b", forwardMode: "veryisolated" }]);
    expect(ext.parts[0]).toMatchObject({ host: "a", hostIp: "10.0.7.1", forwardMode: "nat" });
    expect(ext.parts[1]).toEqual({ host: "b", hostIp: "10.0.7.127", forwardMode: "none" });
  });

  test("names fit IFNAMSIZ, VNIs fit 24 bits, both stable and different per network and lab", () => {
    const spans = spansOf(checkConfig(TWO).lab);
    const again = spansOf(checkConfig(TWO).lab);
    expect(spans.map((s) => [s.bridge, s.device, s.vni])).toEqual(again.map((s) => [s.bridge, s.device, s.vni]));
    for (const s of spans) {
      expect(s.bridge.length).toBeLessThanOrEqual(15);
      expect(s.device.length).toBeLessThanOrEqual(15);
      expect(s.vni).toBeGreaterThan(0);
      expect(s.vni).toBeLessThan(2 ** 24);
    }
    expect(new Set(spans.map((s) => s.vni)).size).toBe(3);
    const other = spansOf(checkConfig({ ...TWO, name: "other" }).lab);
    expect(other.map((s) => s.device)).not.toEqual(spans.map((s) => s.device));
  });

  test("the MTU is the smallest LAN MTU of the hosts spanned, less 50", () => {
    const big = lab(TWO.machines, { a: { ...A, lanMtu: 9000 }, b: { ...B, lanMtu: 9000 } });
    expect(spansOf(checkConfig(big).lab).map((s) => s.mtu)).toEqual([8950, 8950, 8950]);
    const mixed = lab(TWO.machines, { a: { ...A, lanMtu: 9000 }, b: B });
    expect(spansOf(checkConfig(mixed).lab)[0].mtu).toBe(1450);
  });

  test("a lab on one host, or without hosts, spans nothing", () => {
    expect(spansOf(checkConfig(lab(TWO.machines.map((m) => ({ ...m, host: "a" })))).lab)).toEqual([]);
    const { hosts: _h, ...single } = TWO;
    expect(spansOf(checkConfig({ ...single, machines: TWO.machines.map(({ host: _x, ...m }) => m) }).lab)).toEqual([]);
  });
});

describe("spanNetworkXml", () => {
  const xmllint = async (xml: string) => execa("xmllint", ["--noout", "-"], { input: xml, reject: false });

  test("home of a NAT network: forward nat, the gateway address and the DHCP range, as vagrant-libvirt would define it", async () => {
    const ext = spansOf(checkConfig(TWO).lab)[2];
    const xml = spanNetworkXml(ext, ext.parts[0]);
    expect(xml).toContain(`<bridge name="${ext.bridge}" stp="on" delay="0"/>`);
    expect(xml).toContain('<mtu size="1450"/>');
    expect(xml).toContain('<forward mode="nat"/>');
    expect(xml).toContain('<ip address="10.0.7.1" netmask="255.255.255.0">');
    expect(xml).toContain('<range start="10.0.7.128" end="10.0.7.254"/>');
    expect(xml).not.toContain("<dns");
    expect((await xmllint(xml)).exitCode).toBe(0);
  });

  test("the other host: no forward, no DHCP, no DNS, its own address; an internal network: no address anywhere", async () => {
    const [, back, ext] = spansOf(checkConfig(TWO).lab);
    const there = spanNetworkXml(ext, ext.parts[1]);
    expect(there).not.toContain("<forward");
    expect(there).not.toContain("<dhcp>");
    expect(there).toContain('<dns enable="no"/>');
    expect(there).toContain('<ip address="10.0.7.127" netmask="255.255.255.0">');
    const internal = spanNetworkXml(back, back.parts[1]);
    expect(internal).not.toContain("<ip");
    expect(internal).not.toContain("<forward");
    for (const xml of [there, internal]) expect((await xmllint(xml)).exitCode).toBe(0);
  });
});

describe("rules of spanning networks", () => {
  test("a machine may not take another host's address on a spanning network", () => {
    const clash = lab([
      { name: "ma", host: "a", nics: [{ network: "lan", ip: "192.168.57.10" }] },
      { name: "mb", host: "b", nics: [{ network: "lan", ip: "192.168.57.127" }] },
    ]);
    const problem = problemAt(problemsOf(clash), "machines[1] (mb).nics[0].ip");
    expect(problem.message).toContain("is host b's address on lan, which spans hosts a, b");
    expect(problem.fix).toContain("192.168.57.10");
  });

  test("an MTU above the tunnel's is refused with the number; at it, accepted", () => {
    const mtu = (value: number) =>
      lab([
        { name: "ma", host: "a", nics: [{ network: "back", ip: "10.30.0.10", mtu: value }] },
        { name: "mb", host: "b", nics: [{ network: "back", ip: "10.30.0.11" }] },
      ]);
    const problem = problemAt(problemsOf(mtu(1500)), "machines[0] (ma).nics[0].mtu");
    expect(problem.message).toContain("its frames carry at most 1450 bytes");
    expect(problem.fix).toContain("lanMtu");
    expect(problemsOf(mtu(1450))).toEqual([]);
  });

  test("a block too small to give each host an address is refused", () => {
    const small = { ...lab([
      { name: "ma", host: "a", nics: [{ network: "lan", ip: "192.168.57.2" }] },
      { name: "mb", host: "b", nics: [{ network: "lan" }] },
      { name: "mc", host: "c", nics: [{ network: "lan" }] },
    ], { a: A, b: B, c: { ...B, uri: "qemu+ssh://root@198.51.100.3/system" } }) };
    small.networks!.lan = { mode: "hostonly", cidr: "192.168.57.0/30" };
    expect(problemAt(problemsOf(small), "networks.lan.cidr").message).toContain("too small to span 3 hosts");
  });
});
