// One test per validation rule: each asserts the field path and the message (and the fix
// where there is one), and that every problem is reported at once.
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig, Provider } from "../../../src/config/types.js";
import { formatProblem, type Problem } from "../../../src/errors.js";
import { problemAt, problemsOf as problemsOfConfig, warningsOf as warningsOfConfig } from "../../support/problems.js";

const problemsOf = (config: unknown, provider?: Provider): Problem[] => problemsOfConfig(config, { provider });
const warningsOf = (config: unknown, provider?: Provider): Problem[] => warningsOfConfig(config, { provider });
const at = problemAt;

function base(): LabConfig {
  return {
    name: "lab",
    box: "debian/bookworm64",
    networks: {
      mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
      tenant: { mode: "intnet", cidr: "10.10.0.0/24" },
    },
    machines: [
      { name: "m1", nics: [{ network: "mgmt", ip: "192.168.56.10" }, { network: "tenant", ip: "10.10.0.10" }] },
      { name: "m2", nics: [{ network: "mgmt", ip: "192.168.56.11" }, { network: "tenant", ip: "10.10.0.11" }] },
    ],
  };
}

/** The problems checkConfig reports for `config` (none when it passes). */



function edit(change: (c: LabConfig & Record<string, any>) => void): LabConfig {
  const config = base() as LabConfig & Record<string, any>;
  change(config);
  return config;
}

test("the base config is valid", () => {
  expect(problemsOf(base())).toEqual([]);
  expect(problemsOf(base(), "libvirt")).toEqual([]);
});

describe("shape", () => {
  test("unknown key, with did you mean", () => {
    const p = at(problemsOf(edit((c) => (c.machines[0] as any).cpu = 2)), "machines[0] (m1).cpu");
    expect(p.message).toBe("is not a known setting");
    expect(p.fix).toBe('did you mean "cpus"?');
  });
  test("unknown top-level key lists the known ones when nothing is close", () => {
    const p = at(problemsOf(edit((c) => (c.zzzzzz = 1))), "zzzzzz");
    expect(p.fix).toMatch(/^known settings here: name, provider/);
  });
  test("bad type: a string where a number goes", () => {
    const p = at(problemsOf(edit((c) => ((c.machines[0] as any).memory = "4096"))), "machines[0] (m1).memory");
    expect(p.message).toBe('expected a whole number, got "4096"');
    expect(p.fix).toBe("write 4096 without quotes");
  });
  test("bad type: cpus as words", () => {
    expect(at(problemsOf(edit((c) => ((c.machines[0] as any).cpus = "two"))), "machines[0] (m1).cpus").message).toBe(
      'expected a whole number, got "two"',
    );
  });
  test("bad enum value, with did you mean", () => {
    const p = at(problemsOf(edit((c) => ((c as any).provider = "virtualbx"))), "provider");
    expect(p.message).toBe('"virtualbx" is not one of virtualbox, libvirt');
    expect(p.fix).toBe('did you mean "virtualbox"?');
  });
  test("missing required fields", () => {
    const problems = problemsOf({ machines: [{}] });
    expect(at(problems, "name").message).toBe("is required");
    expect(at(problems, "machines[0].name").message).toBe("is required");
  });
  test("a nic type that does not exist", () => {
    const p = at(problemsOf(edit((c) => ((c.machines[0].nics![0] as any).nicType = "virtio-net"))), "machines[0] (m1).nics[0].nicType");
    expect(p.fix).toBe('did you mean "virtio"?');
  });
});

describe("names", () => {
  test("duplicate machine names", () => {
    const p = at(problemsOf(edit((c) => (c.machines[1].name = "m1"))), "machines[1] (m1).name");
    expect(p.message).toBe('"m1" is already the name of machines[0] (m1)');
  });
  test("a machine name of hex digits only, which Vagrant would look up as a machine ID", () => {
    for (const name of ["b", "cafe", "0", "deadbeef01"]) {
      const p = at(problemsOf(edit((c) => (c.machines[0].name = name))), `machines[0] (${name}).name`);
      expect(p.message).toMatch(/is made of hex digits only, and Vagrant looks such names up as machine IDs \(by prefix\)/);
      expect(p.fix).toBe(`add a letter outside a-f, e.g. "node-${name}"`);
    }
    expect(problemsOf(edit((c) => (c.machines[0].name = "node-b")))).toEqual([]);
  });
  test("a machine name that is not a hostname", () => {
    for (const name of ["web_1", "-web", "web-", "a.b", ""]) {
      const p = at(problemsOf(edit((c) => (c.machines[0].name = name))), "machines[0].name");
      expect(p.message).toBe(`"${name}" is not a valid hostname`);
    }
  });
  test("a hostname that is not one", () => {
    expect(at(problemsOf(edit((c) => (c.machines[0].hostname = "a..b"))), "machines[0] (m1).hostname").message).toBe(
      '"a..b" is not a valid hostname',
    );
  });
  test("a lab name that cannot prefix network names", () => {
    expect(at(problemsOf(edit((c) => (c.name = "my lab"))), "name").message).toBe('"my lab" cannot name a lab');
  });
  test("a network name with spaces", () => {
    const p = at(problemsOf(edit((c) => (c.networks!["my net"] = { mode: "intnet", cidr: "10.20.0.0/24" }))), 'networks["my net"]');
    expect(p.message).toBe("is not a usable network name");
  });
  test("a provider network name that VirtualBox or libvirt would choke on", () => {
    const p = at(problemsOf(edit((c) => (c.networks!.tenant.name = "my tenant"))), "networks.tenant.name");
    expect(p.message).toBe('"my tenant" cannot name a provider network');
  });
  test("no machines", () => {
    expect(at(problemsOf(edit((c) => (c.machines = []))), "machines").message).toBe("is empty");
  });
});

describe("adapters", () => {
  test("more than 8 adapters", () => {
    const config = edit((c) => {
      c.networks = { n: { mode: "intnet", cidr: "10.20.0.0/24" } };
      c.machines = [{ name: "m1", nics: Array.from({ length: 8 }, (_, i) => ({ network: "n", ip: `10.20.0.${i + 10}` })) }];
    });
    const p = at(problemsOf(config), "machines[0] (m1).nics");
    expect(p.message).toBe("8 NICs, but a VM has 8 adapters and adapter 1 is Vagrant's NAT adapter");
    expect(p.fix).toBe("keep at most 7 NICs (adapters 2 to 8)");
  });
  test("seven NICs fill slots 2 to 8", () => {
    const config = edit((c) => {
      c.networks = { n: { mode: "intnet", cidr: "10.20.0.0/24" } };
      c.machines = [{ name: "m1", nics: Array.from({ length: 7 }, (_, i) => ({ network: "n", ip: `10.20.0.${i + 10}` })) }];
    });
    expect(checkConfig(config).lab.machines[0].nics.map((n) => n.slot)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });
  test("explicit slots first, then the lowest free ones", () => {
    const config = edit((c) => {
      c.machines[0].nics = [{ network: "mgmt", ip: "192.168.56.10" }, { network: "tenant", ip: "10.10.0.10", adapter: 2 }];
    });
    const nics = checkConfig(config).lab.machines[0].nics;
    expect(nics.map((n) => [n.slot, n.network.key])).toEqual([[2, "tenant"], [3, "mgmt"]]);
  });
  test("a slot used twice", () => {
    const p = at(problemsOf(edit((c) => c.machines[0].nics!.forEach((n) => (n.adapter = 4)))), "machines[0] (m1).nics[1].adapter");
    expect(p.message).toBe("adapter 4 is already used by machines[0] (m1).nics[0]");
  });
  test("slot 1 is Vagrant's", () => {
    const p = at(problemsOf(edit((c) => (c.machines[0].nics![0].adapter = 1))), "machines[0] (m1).nics[0].adapter");
    expect(p.message).toBe("adapter 1 is the NAT adapter Vagrant needs for SSH");
  });
  test("slot 9 does not exist", () => {
    expect(at(problemsOf(edit((c) => (c.machines[0].nics![0].adapter = 9))), "machines[0] (m1).nics[0].adapter").message).toBe(
      "9 is not an adapter slot",
    );
  });
  test("a NIC naming an unknown network", () => {
    const p = at(problemsOf(edit((c) => (c.machines[0].nics![0].network = "mgnt"))), "machines[0] (m1).nics[0].network");
    expect(p.message).toBe('"mgnt" is not a network of this lab');
    expect(p.fix).toBe("declare it under networks, or use one of: mgmt, tenant");
  });
  test("a NIC with both a network and a mode, or neither", () => {
    expect(at(problemsOf(edit((c) => (c.machines[0].nics![0].mode = "nat"))), "machines[0] (m1).nics[0]").message).toBe(
      "names both a network and a mode",
    );
    expect(at(problemsOf(edit((c) => (c.machines[0].nics![0] = {}))), "machines[0] (m1).nics[0]").message).toBe(
      "has neither a network nor a mode",
    );
  });
  test("a shared mode written inline", () => {
    const p = at(problemsOf(edit((c) => (c.machines[0].nics![0] = { mode: "intnet" }))), "machines[0] (m1).nics[0].mode");
    expect(p.message).toBe("an intnet network is shared by machines, so it must be declared once");
  });
});

describe("addresses", () => {
  const ip = (value: string) => edit((c) => (c.machines[0].nics![0].ip = value));
  test("not an IPv4 address", () => {
    const p = at(problemsOf(ip("192.168.57.300")), "machines[0] (m1).nics[0].ip");
    expect(formatProblem(p)).toBe(
      "machines[0] (m1).nics[0].ip: 192.168.57.300 is not an IPv4 address; write four numbers from 0 to 255, e.g. 192.168.56.10",
    );
  });
  test("outside the network's block", () => {
    const p = at(problemsOf(ip("192.168.57.10")), "machines[0] (m1).nics[0].ip");
    expect(p.message).toBe("192.168.57.10 is outside mgmt's 192.168.56.0/24");
    expect(p.fix).toBe("pick an address from 192.168.56.2 to 192.168.56.254");
  });
  test("the network address", () => {
    expect(at(problemsOf(ip("192.168.56.0")), "machines[0] (m1).nics[0].ip").message).toBe(
      "192.168.56.0 is the network address of 192.168.56.0/24",
    );
  });
  test("the broadcast address", () => {
    expect(at(problemsOf(ip("192.168.56.255")), "machines[0] (m1).nics[0].ip").message).toBe(
      "192.168.56.255 is the broadcast address of 192.168.56.0/24",
    );
  });
  test("the host's .1 on a host-only network", () => {
    expect(at(problemsOf(ip("192.168.56.1")), "machines[0] (m1).nics[0].ip").message).toBe("192.168.56.1 is taken by the host on mgmt");
  });
  test(".1 is free on an internal network, which has no host", () => {
    expect(problemsOf(edit((c) => (c.machines[0].nics![1].ip = "10.10.0.1")))).toEqual([]);
  });
  test("the same address twice on one network", () => {
    const p = at(problemsOf(edit((c) => (c.machines[1].nics![0].ip = "192.168.56.10"))), "machines[1] (m2).nics[0].ip");
    expect(p.message).toBe("192.168.56.10 is already used on mgmt by machines[0] (m1).nics[0]");
  });
  test("a static address where the mode has none", () => {
    const config = edit((c) => {
      c.networks!.vbox7 = { mode: "hostonlynet", cidr: "192.168.58.0/24" };
      c.machines[0].nics!.push({ network: "vbox7", ip: "192.168.58.10" }, { mode: "nat", ip: "10.0.4.15" });
    });
    const problems = problemsOf(config);
    expect(at(problems, "machines[0] (m1).nics[2].ip").message).toMatch(/^a hostonlynet NIC takes its address from the network's DHCP server/);
    expect(at(problems, "machines[0] (m1).nics[3].ip").message).toBe("a nat NIC has no static address");
  });
  test("a fixed address on a NAT Network: allowed (kvm-lab sets it up in the guest); VirtualBox's .2 and .3 are taken, the low half is where leases go", () => {
    const withIp = (ip: string) =>
      edit((c) => {
        c.networks!.outside = { mode: "natnetwork", cidr: "10.0.5.0/24" };
        c.machines[0].nics!.push({ network: "outside", ip });
      });
    expect(problemsOf(withIp("10.0.5.200"))).toEqual([]);
    expect(warningsOf(withIp("10.0.5.200")).filter((w) => w.path.startsWith("machines[0] (m1).nics[2]"))).toEqual([]);
    expect(at(problemsOf(withIp("10.0.5.3")), "machines[0] (m1).nics[2].ip").message).toBe("10.0.5.3 is the NAT Network's DHCP server (10.0.5.0/24)");
    expect(at(problemsOf(withIp("10.0.5.2")), "machines[0] (m1).nics[2].ip").message).toBe("10.0.5.2 is the NAT Network's mapping of the host's loopback (10.0.5.0/24)");
    expect(at(problemsOf(withIp("10.0.5.1")), "machines[0] (m1).nics[2].ip").message).toBe("10.0.5.1 is taken by the NAT Network's gateway on outside");
    const low = at(warningsOf(withIp("10.0.5.20")), "machines[0] (m1).nics[2].ip");
    expect(low.message).toBe("10.0.5.20 is where the NAT Network's DHCP server leases first (from .4 up): another machine may get it");
    expect(low.fix).toBe("pick an address in the upper half of the block, e.g. 10.0.5.245");
    expect(problemsOf(withIp("10.0.5.20"), "libvirt")).toEqual([]); // vagrant-libvirt sets the address itself
  });
  test("a block with host bits set", () => {
    const p = at(problemsOf(edit((c) => (c.networks!.mgmt.cidr = "192.168.56.1/24"))), "networks.mgmt.cidr");
    expect(p.message).toBe("192.168.56.1/24 has host bits set (did you mean 192.168.56.0/24?)");
  });
  test("a network without the block its mode needs", () => {
    const p = at(problemsOf(edit((c) => delete c.networks!.tenant.cidr)), "networks.tenant.cidr");
    expect(p.message).toBe("an intnet network needs an address block");
  });
  test("overlapping networks", () => {
    const p = at(problemsOf(edit((c) => (c.networks!.tenant.cidr = "192.168.56.128/25"))), "networks.tenant.cidr");
    expect(p.message).toBe("192.168.56.128/25 overlaps networks.mgmt (192.168.56.0/24)");
  });
  test("host-only outside 192.168.56.0/21: a warning naming the hosts it breaks and the networks.conf line (a Vagrantfile is shared between hosts)", () => {
    const config = edit((c) => {
      c.networks!.mgmt.cidr = "172.16.20.0/24";
      c.machines.forEach((m, i) => (m.nics![0].ip = `172.16.20.${10 + i}`));
    });
    expect(problemsOf(config)).toEqual([]);
    const p = at(warningsOf(config), "networks.mgmt.cidr");
    expect(p.message).toBe(
      "172.16.20.0/24 is outside 192.168.56.0/21, the only host-only range VirtualBox 6.1.28+ allows by default: vagrant up fails on Linux hosts and on macOS before VirtualBox 7 (Windows and macOS with VirtualBox 7 accept it)",
    );
    expect(p.fix).toContain('add the line "* 172.16.20.0/24" to /etc/vbox/networks.conf');
    expect(warningsOf({ ...config, virtualbox: { hostOnlyRanges: ["172.16.0.0/16"] } }).filter((w) => w.path === "networks.mgmt.cidr")).toEqual([]);
    expect(warningsOf(config, "libvirt").filter((w) => w.path === "networks.mgmt.cidr")).toEqual([]);
  });
  test("a lab network over VirtualBox's NAT 10.0.2.0/24", () => {
    const p = at(problemsOf(edit((c) => (c.networks!.tenant.cidr = "10.0.0.0/16"))), "networks.tenant.cidr");
    expect(p.message).toBe("10.0.0.0/16 overlaps 10.0.2.0/24, the NAT network of adapter 1 that Vagrant uses for SSH");
  });
  test("a lab network over vagrant-libvirt's management network", () => {
    const config = edit((c) => {
      c.networks!.tenant.cidr = "192.168.121.0/24";
      c.machines.forEach((m, i) => (m.nics![1].ip = `192.168.121.${10 + i}`));
    });
    expect(at(problemsOf(config, "libvirt"), "networks.tenant.cidr").message).toBe(
      "192.168.121.0/24 overlaps vagrant-libvirt's management network 192.168.121.0/24",
    );
    expect(problemsOf({ ...config, libvirt: { managementNetwork: "192.168.125.0/24" } }, "libvirt")).toEqual([]);
  });
  test("libvirt: two NAT adapters on the same block", () => {
    const config = edit((c) => c.machines.forEach((m) => m.nics!.push({ mode: "nat" })));
    expect(at(problemsOf(config, "libvirt"), "machines[1] (m2).nics[2].cidr").message).toBe(
      "libvirt makes each NAT adapter a network of its own, and machines[0] (m1).nics[2] already uses 10.0.5.0/24",
    );
    expect(problemsOf(config, "virtualbox")).toEqual([]);
  });
});

describe("network settings", () => {
  test("a bridged network without its host device", () => {
    const config = edit((c) => {
      c.networks!.lan = { mode: "bridged" };
      c.machines[0].nics!.push({ network: "lan" });
    });
    const p = at(problemsOf(config), "networks.lan.bridge");
    expect(p.message).toBe("a bridged network needs the host device to bridge to (Vagrant would stop and ask for one)");
  });
  test("a generic NIC without its driver", () => {
    const p = at(problemsOf(edit((c) => c.machines[0].nics!.push({ mode: "generic" }))), "machines[0] (m1).nics[2].driver");
    expect(p.message).toBe("a generic NIC needs its VirtualBox driver");
  });
  test("a NIC setting that belongs to the network", () => {
    const p = at(problemsOf(edit((c) => (c.machines[0].nics![0].cidr = "192.168.56.0/24"))), "machines[0] (m1).nics[0].cidr");
    expect(p.fix).toBe("set it on networks.mgmt.cidr");
  });
});

describe("MACs", () => {
  test("not a MAC", () => {
    expect(at(problemsOf(edit((c) => (c.machines[0].nics![0].mac = "08:00:27:zz:00:01"))), "machines[0] (m1).nics[0].mac").message).toBe(
      "08:00:27:zz:00:01 is not a MAC address",
    );
  });
  test("a multicast MAC", () => {
    expect(at(problemsOf(edit((c) => (c.machines[0].nics![0].mac = "01:00:5e:00:00:01"))), "machines[0] (m1).nics[0].mac").message).toBe(
      "01:00:5e:00:00:01 is a multicast address",
    );
  });
  test("the same MAC twice, whatever its spelling", () => {
    const config = edit((c) => {
      c.machines[0].nics![0].mac = "08:00:27:AA:00:01";
      c.machines[1].nics![1].mac = "080027aa0001";
    });
    expect(at(problemsOf(config), "machines[1] (m2).nics[1].mac").message).toBe("080027aa0001 is already the MAC of machines[0] (m1).nics[0]");
  });
});

describe("forwarded ports", () => {
  test("the same host port twice", () => {
    const config = edit((c) => {
      c.machines[0].forwards = [{ guest: 80, host: 8080 }];
      c.machines[1].forwards = [{ guest: 80, host: 8080 }];
    });
    expect(at(problemsOf(config), "machines[1] (m2).forwards[0].host").message).toBe(
      "host port tcp/8080 is already forwarded by machines[0] (m1).forwards[0]",
    );
  });
  test("0.0.0.0 clashes with every address; another protocol does not", () => {
    const config = edit((c) => {
      c.machines[0].forwards = [{ guest: 80, host: 8080, hostIp: "0.0.0.0" }, { guest: 53, host: 5353, protocol: "udp" }];
      c.machines[1].forwards = [{ guest: 80, host: 8080, hostIp: "127.0.0.2" }, { guest: 53, host: 5353 }];
    });
    const problems = problemsOf(config);
    expect(problems.map((p) => p.path)).toEqual(["machines[1] (m2).forwards[0].host"]);
  });
  test("ports out of range", () => {
    const problems = problemsOf(edit((c) => (c.machines[0].forwards = [{ guest: 0, host: 70000 }])));
    expect(at(problems, "machines[0] (m1).forwards[0].guest").message).toBe("0 is not a port");
    expect(at(problems, "machines[0] (m1).forwards[0].host").message).toBe("70000 is not a port");
  });
});

describe("machine resources", () => {
  test("non-positive cpus and memory", () => {
    const problems = problemsOf(edit((c) => Object.assign(c.machines[0], { cpus: 0, memory: -1 })));
    expect(at(problems, "machines[0] (m1).cpus").message).toBe("0 CPUs");
    expect(at(problems, "machines[0] (m1).memory").message).toBe("-1 MB of memory");
  });
  test("no box anywhere: one problem at the lab's box, not one per machine", () => {
    const problems = problemsOf(edit((c) => delete c.box));
    expect(problems).toEqual([
      { path: "box", message: "no box for any machine", fix: 'set box on the lab, e.g. box: "debian/bookworm64" (or on each machine)' },
    ]);
  });
  test("no box on one machine", () => {
    const problems = problemsOf(edit((c) => {
      delete c.box;
      c.machines[1].box = "debian/bookworm64";
    }));
    expect(problems.map((p) => p.path)).toEqual(["machines[0] (m1).box"]);
  });
});

test("every problem is reported at once", () => {
  const config = edit((c) => {
    c.machines[1].name = "a";
    c.machines[0].nics![0].ip = "192.168.57.300";
    (c.machines[0] as any).cpu = 2;
  });
  expect(problemsOf(config).map((p) => p.path).sort()).toEqual(["machines[0] (m1).cpu", "machines[0] (m1).nics[0].ip", "machines[1] (a).name"]);
});

describe("warnings", () => {
  test("an internal-network NIC without an address", () => {
    const w = warningsOf(edit((c) => delete c.machines[0].nics![1].ip));
    expect(at(w, "machines[0] (m1).nics[1].ip").message).toBe('internal network "tenant" has no DHCP server, so this NIC stays unconfigured');
  });
  test("a lab network over libvirt's default network inside the guests", () => {
    const config = edit((c) => {
      c.networks!.tenant.cidr = "192.168.122.0/24";
      c.machines.forEach((m, i) => (m.nics![1].ip = `192.168.122.${10 + i}`));
    });
    expect(at(warningsOf(config), "networks.tenant.cidr").message).toMatch(/overlaps 192\.168\.122\.0\/24, libvirt's default network/);
  });
  test("promisc under libvirt: warned only where libvirt does otherwise than asked", () => {
    const withPromisc = (promisc: string, network?: Record<string, unknown>) =>
      warningsOf(
        edit((c) => {
          if (network) c.networks!.lan = network as any;
          c.machines[0].nics!.push({ network: network ? "lan" : "tenant", promisc } as any);
          c.machines[0].nics!.splice(1, 1);
        }),
        "libvirt",
      ).filter((w) => w.path.endsWith(".promisc"));
    // A libvirt bridge passes every MAC behind the NIC: "allow-all" is what it does anyway.
    expect(withPromisc("allow-all")).toEqual([]);
    expect(withPromisc("allow-all", { mode: "bridged", bridge: "br0", linuxBridge: true })).toEqual([]);
    expect(withPromisc("deny")[0].message).toMatch(/^"deny" cannot be enforced on libvirt: promisc is a VirtualBox setting/);
    expect(withPromisc("allow-vms")).toHaveLength(1);
    // macvtap passes only the NIC's own MAC: "deny" holds, "allow-all" does not.
    const macvtap = { mode: "bridged", bridge: "eth0" };
    expect(withPromisc("deny", macvtap)).toEqual([]);
    const [w] = withPromisc("allow-all", macvtap);
    expect(w.path).toBe("machines[0] (m1).nics[1].promisc");
    expect(w.message).toMatch(/^macvtap passes a NIC only the frames for its own MAC/);
    expect(w.fix).toBe('bridge to a Linux bridge on the host instead: linuxBridge: true with bridge: "br0"');
    // VirtualBox takes promisc as it is.
    expect(warningsOf(edit((c) => (c.machines[0].nics![1].promisc = "deny")))).toEqual([]);
  });
});

describe("NAT settings, NIC forwards and packet capture", () => {
  test("NIC forwards: only through a NAT; a NAT Network's need the NIC's fixed address; a host port once across the lab", () => {
    const lab = (nic: Record<string, unknown>, forwards?: unknown) =>
      edit((c) => {
        c.networks!.outside = { mode: "natnetwork", cidr: "10.0.5.0/24" };
        c.machines[0].nics!.push(nic as never);
        if (forwards) c.machines[1].forwards = forwards as never;
      });
    expect(at(problemsOf(lab({ network: "mgmt", ip: "192.168.56.20", forwards: [{ guest: 80, host: 8080 }] })), "machines[0] (m1).nics[2].forwards").message).toBe(
      "a hostonly NIC has no NAT to forward ports through",
    );
    expect(at(problemsOf(lab({ network: "outside", forwards: [{ guest: 80, host: 8080 }] })), "machines[0] (m1).nics[2].forwards").fix).toBe("give the NIC an ip in 10.0.5.0/24");
    expect(problemsOf(lab({ network: "outside", ip: "10.0.5.200", forwards: [{ guest: 80, host: 8080 }] }))).toEqual([]);
    expect(problemsOf(lab({ mode: "nat", forwards: [{ guest: 80, host: 8080 }] }))).toEqual([]);
    const clash = at(problemsOf(lab({ mode: "nat", forwards: [{ guest: 80, host: 8080 }] }, [{ guest: 22, host: 8080 }])), "machines[1] (m2).forwards[0].host");
    expect(clash.message).toBe("host port tcp/8080 is already forwarded by machines[0] (m1).nics[2].forwards[0]");
    expect(at(problemsOf(lab({ mode: "nat", forwards: [{ guest: 0, host: 8080 }] })), "machines[0] (m1).nics[2].forwards[0].guest").message).toBe("0 is not a port");
  });

  test("capture: a file inside the lab folder; VirtualBox only", () => {
    const lab = (nic: Record<string, unknown>) => edit((c) => c.machines[0].nics!.push({ mode: "nat", ...nic } as never));
    expect(problemsOf(lab({ capture: true }))).toEqual([]);
    for (const file of ["/tmp/x.pcap", "../x.pcap", "captures/../../x.pcap"]) {
      expect(at(problemsOf(lab({ capture: true, captureFile: file })), "machines[0] (m1).nics[2].captureFile").message).toBe(`${JSON.stringify(file)} is outside the lab folder`);
    }
    expect(at(warningsOf(lab({ capture: true }), "libvirt"), "machines[0] (m1).nics[2].capture").message).toMatch(/^is a VirtualBox setting \(--nictraceN\)/);
  });

  test("virtualbox.natCidr frees 10.0.2.0/24 for the lab; it must not meet a lab network or another NAT", () => {
    const moved = edit((c) => {
      c.virtualbox = { natCidr: "10.0.3.0/24" };
      c.networks!.tenant.cidr = "10.0.2.0/24";
      c.machines.forEach((m, i) => (m.nics![1].ip = `10.0.2.${10 + i}`));
    });
    expect(problemsOf(moved)).toEqual([]);
    const clash = edit((c) => {
      c.virtualbox = { natCidr: "10.0.3.0/24" };
      c.machines[0].nics!.push({ mode: "nat" }); // slot 3: its default block, 10.0.4.0/24, is free
      c.machines[1].nics!.push({ mode: "nat", cidr: "10.0.3.0/24" });
    });
    expect(at(problemsOf(clash), "machines[1] (m2).nics[2].cidr").message).toBe("10.0.3.0/24 overlaps 10.0.3.0/24, adapter 1's NAT");
    const onTenant = edit((c) => (c.networks!.tenant.cidr = "10.0.0.0/16"));
    expect(at(problemsOf(onTenant), "networks.tenant.cidr").fix).toBe("pick another block, or move adapter 1's NAT with virtualbox.natCidr");
    expect(at(warningsOf({ ...moved, provider: "libvirt" }), "virtualbox.natCidr").message).toMatch(/^is a VirtualBox setting/);
  });
});

describe("each root problem is reported once", () => {
  const paths = (problems: Problem[]) => problems.map((p) => p.path);
  test("a bad value in defaults: once, at defaults, not on every machine", () => {
    const problems = problemsOf(edit((c) => (c.defaults = { cpus: 0, memory: -512 })));
    expect(problems).toEqual([
      { path: "defaults.cpus", message: "0 CPUs", fix: "use 1 or more" },
      { path: "defaults.memory", message: "-512 MB of memory", fix: "use a positive number of MB, e.g. 2048" },
    ]);
  });
  test("time bounds of 0 or less are refused where they are written", () => {
    const problems = problemsOf(edit((c) => Object.assign(c, { checks: { timeoutSeconds: 0 }, upTimeoutMinutes: -5 })));
    expect(problems).toEqual([
      { path: "checks.timeoutSeconds", message: "0 seconds cannot bound an SSH session", fix: "use 1 or more (default 180)" },
      { path: "upTimeoutMinutes", message: "-5 minutes cannot bound vagrant up", fix: "use 1 or more (default 30)" },
    ]);
  });
  test("a boot timeout below 1 is refused once, where it is written", () => {
    expect(problemsOf(edit((c) => (c.defaults = { bootTimeoutSeconds: 0 })))).toEqual([
      { path: "defaults.bootTimeoutSeconds", message: "0 seconds cannot bound a boot", fix: "use 1 or more (Vagrant's default 300)" },
    ]);
    expect(problemsOf(edit((c) => (c.machines[1].bootTimeoutSeconds = -1))).map((p) => p.path)).toEqual(["machines[1] (m2).bootTimeoutSeconds"]);
  });
  test("a wrong type in defaults: once", () => {
    expect(paths(problemsOf(edit((c) => ((c as any).defaults = { cpus: "2", nested: "yes" }))))).toEqual(["defaults.cpus", "defaults.nested"]);
  });
  test("a machine's own bad value is its own problem; the default it overrides stays unreported", () => {
    const problems = problemsOf(edit((c) => {
      c.defaults = { cpus: 4 };
      c.machines[1].cpus = 0;
    }));
    expect(paths(problems)).toEqual(["machines[1] (m2).cpus"]);
  });
  test("a bad cidr is not also a missing one", () => {
    for (const cidr of ["192.168.56.0/33", "192.168.56.0", 24 as unknown as string]) {
      const problems = problemsOf(edit((c) => (c.networks!.mgmt.cidr = cidr)));
      expect(paths(problems)).toEqual(["networks.mgmt.cidr"]);
      expect(problems[0].message).not.toMatch(/needs an address block/);
    }
  });
  test("a misspelled key is one problem, not also the key it was meant for missing", () => {
    const problems = problemsOf(edit((c) => {
      (c.networks!.mgmt as any).cidrs = c.networks!.mgmt.cidr;
      delete c.networks!.mgmt.cidr;
    }));
    expect(problems).toEqual([{ path: "networks.mgmt.cidrs", message: "is not a known setting", fix: 'did you mean "cidr"?' }]);
  });
  test("a bad lab name is one problem, not one more per network", () => {
    for (const name of ["My Lab", "-lab", "x".repeat(41)]) {
      expect(paths(problemsOf(edit((c) => (c.name = name))))).toEqual(["name"]);
    }
  });
  test("a bad network key is one problem, not a bad provider name too", () => {
    const problems = problemsOf(edit((c) => {
      c.networks!["my net"] = { mode: "hostonly", cidr: "192.168.57.0/24" };
    }));
    expect(paths(problems)).toEqual(['networks["my net"]']);
  });
  test("a provider name made too long by lab name and key is still reported, saying why", () => {
    const p = at(problemsOf(edit((c) => {
      c.name = "a".repeat(30);
      c.networks!["b".repeat(25)] = { mode: "hostonly", cidr: "192.168.57.0/24" };
    })), `networks.${"b".repeat(25)}.name`);
    expect(p.fix).toMatch(/made from the lab's name and the network's key/);
  });
  test("a network with a bad mode is one problem, not one more per NIC that uses it", () => {
    const problems = problemsOf(edit((c) => ((c.networks!.tenant as any).mode = "intnt")));
    expect(paths(problems)).toEqual(["networks.tenant.mode"]);
    expect(problems[0].fix).toBe('did you mean "intnet"?');
  });
  test("a config that is not an object is one problem", () => {
    expect(paths(problemsOf([]))).toEqual(["(config)"]);
    expect(paths(problemsOf(edit((c) => ((c as any).machines = "m1"))))).toEqual(["machines"]);
  });
  test("a machine without a name is one problem", () => {
    expect(paths(problemsOf(edit((c) => delete (c.machines[1] as any).name)))).toEqual(["machines[1].name"]);
  });
  test("a forward port of the wrong type or out of range: one problem, no clash", () => {
    const problems = problemsOf(edit((c) => {
      c.machines[0].forwards = [{ guest: 80, host: 0 }];
      c.machines[1].forwards = [{ guest: "80" as unknown as number, host: 0 }];
    }));
    expect(paths(problems).sort()).toEqual(["machines[0] (m1).forwards[0].host", "machines[1] (m2).forwards[0].guest", "machines[1] (m2).forwards[0].host"]);
  });
  test("the same bad address twice: each is not an address, neither is a clash", () => {
    const problems = problemsOf(edit((c) => c.machines.forEach((m) => (m.nics![0].ip = "192.168.56.300"))));
    expect(problems.map((p) => p.message)).toEqual(["192.168.56.300 is not an IPv4 address", "192.168.56.300 is not an IPv4 address"]);
  });
});

describe("messages name the machine", () => {
  test("errors and warnings use one format: machines[i] (name)", () => {
    const config = edit((c) => {
      c.machines[1].name = "compute-1";
      c.machines[1].nics![1].ip = "10.10.1.11";
    });
    expect(at(problemsOf(config), "machines[1] (compute-1).nics[1].ip").message).toBe("10.10.1.11 is outside tenant's 10.10.0.0/24");
    const warned = edit((c) => {
      c.machines[1].name = "compute-1";
      delete c.machines[1].nics![1].ip;
    });
    expect(warningsOf(warned).map((w) => w.path)).toEqual(["machines[1] (compute-1).nics[1].ip"]);
  });
  test("shape problems name the machine too", () => {
    expect(at(problemsOf(edit((c) => ((c.machines[1] as any).cpu = 1))), "machines[1] (m2).cpu").fix).toBe('did you mean "cpus"?');
  });
  test("a machine whose name is unusable is named by index only", () => {
    const problems = problemsOf(edit((c) => {
      c.machines[1].name = "web_1";
      c.machines[1].nics![0].ip = "192.168.56.1";
    }));
    expect(paths(problems)).toEqual(["machines[1].name", "machines[1].nics[0].ip"]);
  });
  function paths(problems: Problem[]) {
    return problems.map((p) => p.path);
  }
});
