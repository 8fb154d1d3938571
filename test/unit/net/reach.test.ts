// One source of truth for reach: `plan` (the adapter table), `plan --matrix` (the pairs) and
// the Vagrantfile's comments agree for every mode on both providers, because all read reach.ts.
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig, NetworkConfig, Provider } from "../../../src/config/types.js";
import { expectedMatrix } from "../../../src/net/matrix.js";
import { NETWORK_MODES, MODES, type NetworkMode } from "../../../src/net/modes.js";
import { planLab } from "../../../src/net/plan.js";
import { REACH, reachOf } from "../../../src/net/reach.js";
import { describeNic } from "../../../src/render/common.js";

/** A network of the mode (with what it needs), for a lab's `networks` or as an inline NIC. */
function networkOf(mode: NetworkMode, linuxBridge = false): NetworkConfig {
  switch (mode) {
    case "bridged":
      return { mode, bridge: "eth0", cidr: "192.168.1.0/24", ...(linuxBridge ? { linuxBridge: true } : {}) };
    case "generic":
      return { mode, driver: "UDPTunnel" };
    case "null":
      return { mode };
    case "nat":
      return { mode, cidr: "10.0.7.0/24" };
    case "hostonly":
    case "hostonlynet":
      return { mode, cidr: "192.168.57.0/24" };
    default:
      return { mode, cidr: "10.20.0.0/24" };
  }
}

/** m1 and m2 on the network (shared modes) or each with a NIC of the mode; m3 on another network. */
function labOf(mode: NetworkMode, provider: Provider, linuxBridge = false): LabConfig {
  const network = networkOf(mode, linuxBridge);
  const shared = MODES[mode].shared;
  const staticIp = MODES[mode].staticIp && network.cidr;
  const base = network.cidr?.split(".").slice(0, 3).join(".");
  // Inline NICs: libvirt makes each NAT a network of its own, so each gets a block of its own.
  const inline = (host: number): NetworkConfig => (mode === "nat" ? { ...network, cidr: `10.0.${host}.0/24` } : { ...network });
  const nic = (host: number) => (shared ? { network: "net", ...(staticIp ? { ip: `${base}.${host}` } : {}) } : inline(host));
  return {
    name: "lab",
    provider,
    box: "debian/bookworm64",
    networks: { ...(shared ? { net: network } : {}), other: { mode: "hostonly", cidr: "192.168.60.0/24" } },
    machines: [
      { name: "m1", nics: [nic(10)] },
      { name: "m2", nics: [nic(11)] },
      { name: "m3", nics: [{ network: "other", ip: "192.168.60.12" }] },
    ],
  };
}

const CASES = (["virtualbox", "libvirt"] as const).flatMap((provider) => [
  ...NETWORK_MODES.map((mode) => ({ provider, mode, linuxBridge: false })),
  { provider, mode: "bridged" as NetworkMode, linuxBridge: true },
]);

describe.each(CASES)("$provider $mode (linuxBridge: $linuxBridge)", ({ provider, mode, linuxBridge }) => {
  const { lab } = checkConfig(labOf(mode, provider, linuxBridge)); // throws on a bad config
  const pairs = new Map(expectedMatrix(lab).map((pair) => [pair.id, pair]));
  const [m1] = planLab(lab);
  const row = reachOf(provider, { mode, linuxBridge });

  test("plan's reach columns are the provider's table row", () => {
    expect(m1.adapters[1]).toMatchObject({ toHost: row.toHost.reach, fromHost: row.fromHost.reach, toOtherVms: row.toOtherVms.reach, toOutside: row.toOutside.reach });
  });

  test("every pair the matrix probes agrees with plan: expected exactly where plan says yes", () => {
    const key = lab.machines[0].nics[0].network.key;
    const columns: [string, string][] = [
      [`m1 -> host @${key}`, m1.adapters[1].toHost],
      [`host -> m1 @${key}`, m1.adapters[1].fromHost],
      [`m1 -> m2 @${key}`, m1.adapters[1].toOtherVms],
      [`m1 -> outside via ${key}`, m1.adapters[1].toOutside],
      ["m1 -> outside via nic1", m1.adapters[0].toOutside],
    ];
    let probed = 0;
    for (const [id, column] of columns) {
      const pair = pairs.get(id);
      if (!pair) continue;
      probed++;
      expect([id, pair.expected]).toEqual([id, column === "yes"]);
      expect(pair.rule).not.toBe("");
    }
    // Everything that can be probed is: null and generic only lead out through adapter 1.
    expect(probed).toBe(mode === "null" || mode === "generic" ? 1 : MODES[mode].shared ? 5 : 4);
  });

  test("a machine off the network: the table's fromOffNetwork verdict", () => {
    const pair = pairs.get(`m3 -> m1 @net`);
    if (row.fromOffNetwork.reach === "depends" || !MODES[mode].shared) return expect(pair).toBeUndefined();
    expect(pair!.expected).toBe(row.fromOffNetwork.reach === "yes");
    expect(pair!.rule).toContain(row.fromOffNetwork.rule);
  });

  test("the Vagrantfile's comment says what the provider's rendering reaches", () => {
    const [, reach] = describeNic(provider, lab.machines[0].nics[0]);
    expect(reach.trim()).toBe(row.summary);
  });
});

test("libvirt's rows say where libvirt differs: macvtap keeps the host apart, NAT networks are reached directly", () => {
  expect(REACH.libvirt.bridged.toHost.reach).toBe("no");
  expect(REACH.libvirt["bridged-linux"].toHost.reach).toBe("yes");
  expect(REACH.libvirt.natnetwork.fromHost.reach).toBe("yes");
  expect(REACH.virtualbox.natnetwork.fromHost.reach).toBe("port-forward");
  const libvirtPairs = expectedMatrix(checkConfig(labOf("natnetwork", "libvirt")).lab);
  expect(libvirtPairs.find((p) => p.id === "host -> m1 @net")).toMatchObject({ expected: true, libvirtDiffers: true });
});

test("every row of both tables names its upstream source", () => {
  for (const [provider, table] of Object.entries(REACH)) {
    for (const [key, row] of Object.entries(table)) {
      expect([provider, key, row.source]).toEqual([provider, key, expect.stringMatching(/\.(dita|markdown|rst|rb|erb)\b/)]);
    }
  }
});

test("every rule and summary reads as English: articles by sound, modes named in lower case", () => {
  const texts = Object.values(REACH).flatMap((table) =>
    Object.values(table).flatMap((row) => [row.summary, row.toHost.rule, row.fromHost.rule, row.toOtherVms.rule, row.toOutside.rule, row.fromOffNetwork.rule]),
  );
  for (const text of texts) {
    expect(text).not.toMatch(/\ba [aeiou]/i);
    expect(text).not.toMatch(/\ban [b-df-hj-np-tv-z]/i);
    expect(text).not.toMatch(/same (Bridged|Host-only|Internal|Not attached|Generic)/);
  }
});
