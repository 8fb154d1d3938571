// The expected reachability matrix: per mode, per provider, and for a mixed lab.
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig, NetworkConfig, NicConfig, Provider } from "../../../src/config/types.js";
import { expectedMatrix, type ExpectedPair } from "../../../src/net/matrix.js";

/** Three machines: m1 and m2 on the network, m3 not. */
function matrixOf(network: NetworkConfig, provider: Provider, nic: Omit<NicConfig, "network"> = {}): Map<string, ExpectedPair> {
  const base = (network.cidr ?? "10.1.0.0/24").split(".").slice(0, 3).join(".");
  const member = (host: number): NicConfig => ({ network: "net", ...(network.cidr && network.mode !== "natnetwork" ? { ip: `${base}.${host}` } : {}), ...nic });
  const config: LabConfig = {
    name: "lab",
    provider,
    box: "debian/bookworm64",
    networks: { net: network, other: { mode: "hostonly", cidr: "192.168.60.0/24" } },
    machines: [
      { name: "m1", nics: [member(10)] },
      { name: "m2", nics: [member(11)] },
      { name: "m3", nics: [{ network: "other", ip: "192.168.60.12" }] },
    ],
  };
  const pairs = expectedMatrix(checkConfig(config).lab);
  expect(new Set(pairs.map((p) => p.id)).size).toBe(pairs.length); // ids are unique
  return new Map(pairs.map((p) => [p.id, p]));
}

const verdicts = (m: Map<string, ExpectedPair>, ids: string[]) => Object.fromEntries(ids.map((id) => [id, m.get(id)?.expected]));

const IDS = [
  "m1 -> m2 @net",
  "m3 -> m1 @net",
  "m1 -> host @net",
  "host -> m1 @net",
  "m1 -> outside via net",
  "m1 -> outside via nic1",
];

describe.each(["virtualbox", "libvirt"] as const)("%s", (provider) => {
  const vbox = provider === "virtualbox";

  test("host-only: members, host both ways, no outside; off-network machines only through VirtualBox's NAT", () => {
    const m = matrixOf({ mode: "hostonly", cidr: "192.168.57.0/24" }, provider);
    expect(verdicts(m, IDS)).toEqual({
      "m1 -> m2 @net": true,
      "m3 -> m1 @net": vbox,
      "m1 -> host @net": true,
      "host -> m1 @net": true,
      "m1 -> outside via net": false,
      "m1 -> outside via nic1": true,
    });
    expect(m.get("m1 -> host @net")!.target).toEqual({ kind: "host", network: "net", address: "192.168.57.1" });
    expect(m.get("m3 -> m1 @net")!.libvirtDiffers).toBe(vbox ? undefined : true);
  });

  test("internal: members only; the host neither way, its would-be address probed", () => {
    const m = matrixOf({ mode: "intnet", cidr: "10.1.0.0/24" }, provider);
    expect(verdicts(m, IDS)).toEqual({
      "m1 -> m2 @net": true,
      "m3 -> m1 @net": false,
      "m1 -> host @net": false,
      "host -> m1 @net": false,
      "m1 -> outside via net": false,
      "m1 -> outside via nic1": true,
    });
    expect(m.get("host -> m1 @net")!.rule).toBe("internal networks do not include the host");
    expect(m.get("m1 -> host @net")!.target).toMatchObject({ address: "10.1.0.1" });
  });

  test("NAT Network: members and out; the host reaches in only on libvirt, which says it differs", () => {
    const m = matrixOf({ mode: "natnetwork", cidr: "10.1.0.0/24" }, provider);
    expect(verdicts(m, IDS)).toEqual({
      "m1 -> m2 @net": true,
      "m3 -> m1 @net": false,
      "m1 -> host @net": true,
      "host -> m1 @net": !vbox,
      "m1 -> outside via net": true,
      "m1 -> outside via nic1": true,
    });
    expect(m.get("host -> m1 @net")!.libvirtDiffers).toBe(vbox ? undefined : true);
    expect(m.get("m1 -> m2 @net")!.target).toEqual({ kind: "machine", machine: "m2", network: "net" }); // DHCP: found live
  });

  test("bridged: members reach each other, no cross-network verdict (the LAN decides); libvirt's macvtap keeps the host apart", () => {
    const m = matrixOf({ mode: "bridged", bridge: "eth0" }, provider, {});
    expect(m.get("m1 -> m2 @net")!.expected).toBe(true);
    expect(m.has("m3 -> m1 @net")).toBe(false);
    expect(m.get("m1 -> host @net")!.expected).toBe(vbox);
    expect(m.get("m1 -> host @net")!.target).toEqual({ kind: "host", network: "net", device: "eth0" });
    expect(m.get("m1 -> outside via net")!.expected).toBe(true);
    const linux = matrixOf({ mode: "bridged", bridge: "br0", linuxBridge: true }, provider);
    expect(linux.get("m1 -> host @net")!.expected).toBe(true);
  });
});

test("NAT per NIC: no machine pairs; the host at 10.0.x.2 on VirtualBox, .1 on libvirt", () => {
  const lab = (provider: Provider) =>
    checkConfig({ name: "lab", provider, box: "b", machines: [{ name: "m1", nics: [{ mode: "nat", cidr: "10.0.7.0/24" }] }, { name: "m2" }] }).lab;
  for (const provider of ["virtualbox", "libvirt"] as const) {
    const pairs = expectedMatrix(lab(provider));
    expect(pairs.filter((p) => p.kind === "vm-vm")).toEqual([]);
    const toHost = pairs.find((p) => p.id === "m1 -> host @m1.nic2")!;
    expect(toHost.target).toMatchObject({ address: provider === "virtualbox" ? "10.0.7.2" : "10.0.7.1" });
    expect(pairs.find((p) => p.id === "host -> m1 @m1.nic2")!.expected).toBe(provider === "libvirt");
    expect(pairs.find((p) => p.id === "m1 -> outside via m1.nic2")!.expected).toBe(true);
  }
});

test("not attached and generic NICs are not probed; adapter 1 always leads out", () => {
  const { lab } = checkConfig({ name: "lab", box: "b", machines: [{ name: "m1", nics: [{ mode: "null" }, { mode: "generic", driver: "UDPTunnel" }] }] });
  expect(expectedMatrix(lab).map((p) => p.id)).toEqual(["m1 -> outside via nic1"]);
});

test("a mixed lab: every shared network's members, every cross pair, and isolation of the internal network", () => {
  const { lab } = checkConfig({
    name: "mixed",
    provider: "libvirt",
    box: "b",
    networks: {
      mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
      tenant: { mode: "intnet", cidr: "10.10.0.0/24" },
      ext: { mode: "natnetwork", cidr: "10.0.5.0/24" },
    },
    machines: [
      { name: "na", nics: [{ network: "mgmt", ip: "192.168.56.10" }, { network: "tenant", ip: "10.10.0.10" }, { network: "ext" }] },
      { name: "nb", nics: [{ network: "mgmt", ip: "192.168.56.11" }, { network: "tenant", ip: "10.10.0.11" }] },
      { name: "nc", nics: [{ network: "mgmt", ip: "192.168.56.12" }, { network: "ext" }] },
    ],
  });
  const pairs = expectedMatrix(lab);
  const count = (kind: string) => pairs.filter((p) => p.kind === kind).length;
  // Each network: every machine but the target, to each member: 3 networks x members x 2 others.
  expect(count("vm-vm")).toBe(3 * 2 + 2 * 2 + 2 * 2);
  expect(count("vm-host")).toBe(3 + 2 + 2);
  expect(count("host-vm")).toBe(3 + 2 + 2);
  expect(count("vm-outside")).toBe(3 + 3 + 2 + 2);
  const isolated = pairs.filter((p) => !p.expected).map((p) => p.id).sort();
  expect(isolated).toEqual(
    [
      "na -> host @tenant",
      "na -> outside via mgmt",
      "na -> outside via tenant",
      "nb -> na @ext",
      "nb -> nc @ext",
      "nb -> host @tenant",
      "nb -> outside via mgmt",
      "nb -> outside via tenant",
      "nc -> na @tenant",
      "nc -> nb @tenant",
      "nc -> outside via mgmt",
      "host -> na @tenant",
      "host -> nb @tenant",
    ].sort(),
  );
});

test("an unplugged cable (cable: false) cuts its NIC off on VirtualBox; libvirt renders it connected", () => {
  const lab = (provider: Provider) =>
    checkConfig({
      name: "lab",
      provider,
      box: "b",
      networks: { mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" } },
      machines: [
        { name: "m1", nics: [{ network: "mgmt", ip: "192.168.56.10" }] },
        { name: "m2", nics: [{ network: "mgmt", ip: "192.168.56.11", cable: false }] },
        { name: "m3" },
      ],
    }).lab;
  const vbox = new Map(expectedMatrix(lab("virtualbox")).map((p) => [p.id, p]));
  for (const id of ["m1 -> m2 @mgmt", "m2 -> m1 @mgmt", "m3 -> m2 @mgmt", "m2 -> host @mgmt", "host -> m2 @mgmt", "m2 -> outside via mgmt"]) {
    expect([id, vbox.get(id)!.expected]).toEqual([id, false]);
    expect(vbox.get(id)!.rule).toBe("m2's NIC on it has its cable unplugged (cable: false)");
  }
  expect(vbox.get("m3 -> m1 @mgmt")!.expected).toBe(true); // the plugged one still reached through m3's NAT
  const libvirt = new Map(expectedMatrix(lab("libvirt")).map((p) => [p.id, p]));
  expect(libvirt.get("m1 -> m2 @mgmt")!.expected).toBe(true);
  expect(libvirt.get("host -> m2 @mgmt")!.expected).toBe(true);
});
