// A lab's libvirt hosts in the config (src/config/hosts.ts): hosts.<name> normalized in
// config order with defaults, each machine's host (pinned or placed; a counted entry's
// machines all pinned), every rule's refusal with its path and fix, and a lab without hosts
// exactly as before.
import { checkConfig } from "../../../src/config/load.js";
import type { HostConfig, LabConfig, MachineConfig } from "../../../src/config/types.js";
import { formatProblem } from "../../../src/errors.js";
import { problemAt, problemsOf } from "../../support/problems.js";

const HERE: HostConfig = { uri: "qemu:///system", cpus: 4, memory: 8192 };
const THERE: HostConfig = { uri: "qemu+ssh://root@198.51.100.2/system", cpus: 8, memory: 16384 };

function lab(hosts: Record<string, HostConfig> | undefined, ...machines: MachineConfig[]): LabConfig {
  return { name: "lab", provider: "libvirt", box: "debian/bookworm64", ...(hosts ? { hosts } : {}), machines };
}

/** Each machine's host: `name@host` (placed) or `name@host!` (pinned). */
function places(config: LabConfig): string[] {
  return checkConfig(config).lab.machines.map((m) => `${m.name}@${m.host ? `${m.host.name}${m.host.placed ? "" : "!"}` : "-"}`);
}

describe("normalization", () => {
  test("hosts in config order with lanMtu 1500 by default; address and lanMtu as written", () => {
    const { lab: normalized } = checkConfig(lab({ zeta: { ...THERE, address: "198.51.100.2", lanMtu: 9000 }, alpha: HERE }, { name: "node1" }));
    expect(normalized.hosts).toEqual([
      { name: "zeta", path: "hosts.zeta", uri: THERE.uri, cpus: 8, memory: 16384, address: "198.51.100.2", lanMtu: 9000 },
      { name: "alpha", path: "hosts.alpha", uri: "qemu:///system", cpus: 4, memory: 8192, lanMtu: 1500 },
    ]);
  });

  test("each machine gets its host with the host's URI: named ones pinned, the others placed", () => {
    const { lab: normalized } = checkConfig(lab({ here: HERE, there: THERE }, { name: "web", memory: 2048 }, { name: "store", host: "there", memory: 1024 }));
    expect(normalized.machines.map((m) => m.host)).toEqual([
      { name: "here", uri: "qemu:///system", placed: true },
      { name: "there", uri: THERE.uri, placed: false },
    ]);
  });

  test("every machine of a counted entry goes to the entry's host; autostart: false machines count too", () => {
    const config = lab(
      { here: HERE, there: THERE },
      { name: "big", memory: 8192, cpus: 2, autostart: false },
      { name: "node{n}", count: 3, host: "there", memory: 2048 },
      { name: "small", memory: 1024, cpus: 1 },
    );
    // big (autostart: false) still takes all of here's memory, so small goes to there.
    expect(places(config)).toEqual(["big@here", "node1@there!", "node2@there!", "node3@there!", "small@there"]);
  });

  test("largest first onto the first host with room: deterministic whatever the run", () => {
    const config = lab({ one: { ...HERE, memory: 4096 }, two: THERE }, { name: "s1", memory: 1024 }, { name: "m1", memory: 4096 }, { name: "s2", memory: 1024 });
    const first = places(config);
    expect(first).toEqual(["s1@two", "m1@one", "s2@two"]);
    for (let i = 0; i < 3; i++) expect(places(config)).toEqual(first);
  });

  test("a lab without hosts: no hosts, no machine host (the key absent), everything as before", () => {
    const { lab: normalized } = checkConfig(lab(undefined, { name: "node1" }));
    expect(normalized.hosts).toEqual([]);
    expect("host" in normalized.machines[0]).toBe(false);
  });
});

describe("rules", () => {
  test("hosts with provider virtualbox (or --provider virtualbox) are refused", () => {
    const config: LabConfig = { ...lab({ here: HERE }, { name: "node1" }), provider: "virtualbox" };
    const problem = problemAt(problemsOf(config), "hosts");
    expect(problem.message).toBe("VirtualBox drives one machine's hypervisor only: a lab on several hosts runs on libvirt");
    expect(problem.fix).toMatch(/provider "libvirt" \(or --provider libvirt\), or remove hosts/);
    expect(problemAt(problemsOf(lab({ here: HERE }, { name: "node1" }), { provider: "virtualbox" }), "hosts").message).toMatch(/VirtualBox/);
    expect(problemsOf(lab({ here: HERE }, { name: "node1" }))).toEqual([]);
  });

  test("empty hosts is refused", () => {
    expect(problemAt(problemsOf(lab({}, { name: "node1" })), "hosts")).toMatchObject({ message: "is empty", fix: expect.stringMatching(/name at least one host/) });
  });

  test.each([["b_1"], ["-b"], ["b c"], ["x".repeat(64)]])("host name %j: letters, digits and hyphens", (name) => {
    const problems = problemsOf(lab({ [name]: HERE }, { name: "node1" }));
    expect(problems.find((p) => p.message.includes("cannot name a host"))?.fix).toMatch(/letters, digits and hyphens/);
  });

  test("a host name of digits only is refused: JavaScript would reorder it before the others", () => {
    const problem = problemAt(problemsOf(lab({ b: THERE, "2": HERE }, { name: "node1" })), "hosts.2");
    expect(problem.message).toMatch(/digits only.*lose its place in the config's order/);
    expect(problem.fix).toBe('add a letter, e.g. "host2"');
  });

  test("a refused URI is said at hosts.<name>.uri with why and the fix", () => {
    const problems = problemsOf(lab({ s: { ...HERE, uri: "qemu:///session" }, t: { ...THERE, uri: "qemu+tcp://h/system" } }, { name: "node1" }));
    expect(problemAt(problems, "hosts.s.uri").message).toMatch(/per-user session, where vagrant-libvirt creates no networks/);
    expect(problemAt(problems, "hosts.t.uri").fix).toBe("use qemu+ssh: kvm-lab reaches remote hosts over SSH for their tunnels and checks (qemu+ssh://user@host/system)");
  });

  test("the same libvirt twice: two local hosts, or two URIs reaching the same host and port", () => {
    const local = problemAt(problemsOf(lab({ a: HERE, b: { ...HERE, uri: "qemu:///system?mode=legacy" } }, { name: "node1" })), "hosts.b.uri");
    expect(local.message).toBe("hosts.a is this machine's libvirt (qemu:///system) too: the same libvirt twice");
    expect(local.fix).toMatch(/keep one host per libvirt/);
    const remote = problemAt(
      problemsOf(lab({ a: THERE, b: { ...THERE, uri: "qemu+ssh://lab@198.51.100.2:22/system?no_verify=1" } }, { name: "node1" })),
      "hosts.b.uri",
    );
    expect(remote.message).toBe("reaches the libvirt of hosts.a too (198.51.100.2, ssh port 22): the same libvirt twice");
    // Another ssh port is another libvirt; at one address, though, only with addresses of their own.
    const ports = problemsOf(lab({ a: THERE, b: { ...THERE, uri: "qemu+ssh://root@198.51.100.2:2222/system" } }, { name: "node1" }));
    expect(ports.map(formatProblem)).toEqual(["hosts.b.uri: 198.51.100.2 is where hosts.a (its URI's host) is reached too; give each host its own address (two hosts at one address are one machine: keep one host for it)"]);
  });

  test("cpus and memory 1 or more, address an IPv4 unicast address (and each host's own), lanMtu 1280 to 9216", () => {
    const problems = problemsOf(
      lab(
        {
          a: { ...HERE, cpus: 0, memory: -1, address: "198.51.100.300", lanMtu: 1279 },
          b: { ...THERE, address: "224.0.0.5", lanMtu: 9217 },
          c: { uri: "qemu+ssh://c/system", cpus: 1, memory: 1, address: "198.51.100.9" },
          d: { uri: "qemu+ssh://d/system", cpus: 1, memory: 1, address: "198.51.100.9" },
        },
        { name: "node1" },
      ),
    );
    expect(problemAt(problems, "hosts.a.cpus")).toMatchObject({ message: "0 vCPUs cannot run a machine", fix: expect.stringMatching(/1 or more/) });
    expect(problemAt(problems, "hosts.a.memory")).toMatchObject({ message: "-1 MiB cannot run a machine", fix: expect.stringMatching(/1 or more/) });
    expect(problemAt(problems, "hosts.a.address").message).toBe("198.51.100.300 is not an IPv4 address");
    expect(problemAt(problems, "hosts.b.address").message).toBe("224.0.0.5 is a multicast address, no host's");
    expect(problemAt(problems, "hosts.d.address")).toMatchObject({ message: "198.51.100.9 is where hosts.c is reached too", fix: expect.stringMatching(/give each host its own address/) });
    expect(problemAt(problems, "hosts.a.lanMtu").fix).toBe("use 1280 to 9216 (default 1500, Ethernet's)");
    expect(problemAt(problems, "hosts.b.lanMtu").message).toBe("9217 is not an MTU of a LAN between hosts");
    // The numbers are wrong: no placement refusal follows from them.
    expect(problems.filter((p) => /no host has room|it offers/.test(p.message))).toEqual([]);
  });

  test("a host's address that another host's URI reaches (no address of its own): two hosts at one address", () => {
    const problems = problemsOf(lab({ here: { ...HERE, address: "198.51.100.2" }, there: THERE }, { name: "node1" }));
    expect(problemAt(problems, "hosts.there.uri").message).toBe("198.51.100.2 is where hosts.here is reached too");
    // Reached over one address (ssh ports forwarded), but each with its own address for the tunnels: fine.
    const forwarded = lab(
      { a: { ...THERE, uri: "qemu+ssh://root@198.51.100.2:2201/system", address: "10.1.0.1" }, b: { ...THERE, uri: "qemu+ssh://root@198.51.100.2:2202/system", address: "10.1.0.2" } },
      { name: "node1" },
    );
    expect(problemsOf(forwarded)).toEqual([]);
  });

  test("unknown keys under hosts.<name> are refused with did you mean; missing and wrong-typed fields by the shape check", () => {
    const problems = problemsOf({ ...lab({ a: HERE }, { name: "node1" }), hosts: { a: { uri: "qemu:///system", cpus: "4", memroy: 8192 } } });
    expect(problemAt(problems, "hosts.a.memroy")).toMatchObject({ message: "is not a known setting", fix: 'did you mean "memory"?' });
    expect(problemAt(problems, "hosts.a.cpus")).toMatchObject({ message: 'expected a whole number, got "4"' });
    expect(problemAt(problems, "hosts.a.memory").message).toBe("is required");
  });

  test("a machine's host must be a key of hosts (the nearest suggested); host without hosts is refused", () => {
    const problems = problemsOf(lab({ alpha: HERE, beta: THERE }, { name: "node1", host: "bta" }, { name: "node2", host: "zzz" }));
    expect(problemAt(problems, "machines[0] (node1).host")).toMatchObject({ message: '"bta" is not a host of this lab', fix: 'did you mean "beta"?' });
    expect(problemAt(problems, "machines[1] (node2).host").fix).toBe("use one of: alpha, beta");
    const without = problemAt(problemsOf(lab(undefined, { name: "node1", host: "alpha" })), "machines[0] (node1).host");
    expect(without.message).toBe('names host "alpha", but the lab has no hosts');
    expect(without.fix).toMatch(/declare it under hosts .*, or remove host/);
  });

  test("a counted entry's unknown host is said once, at the entry as written", () => {
    const problems = problemsOf(lab({ alpha: HERE }, { name: "node{n}", count: 3, host: "alph" }));
    expect(problems.map(formatProblem)).toEqual(['machines[0] (node{n}).host: "alph" is not a host of this lab; did you mean "alpha"?']);
  });

  test.each(["uri", "host", "port", "connect_via_ssh", "socket", "username", "id_ssh_key_file"])("libvirt.options.%s in a lab with hosts: the host's URI is the connection", (key) => {
    const problems = problemsOf(lab({ here: HERE }, { name: "node1", libvirt: { options: { [key]: "x" } } }));
    const problem = problemAt(problems, `machines[0] (node1).libvirt.options.${key}`);
    expect(problem.message).toMatch(new RegExp(`libvirt.${key} would contradict it`));
    expect(problem.fix).toMatch(/write the connection as the host's uri/);
    // Without hosts it stays the escape hatch it was.
    expect(problemsOf(lab(undefined, { name: "node1", libvirt: { options: { [key]: "x" } } }))).toEqual([]);
  });

  test("a connection option in defaults is said once, at defaults", () => {
    const config: LabConfig = { ...lab({ here: HERE }, { name: "node1" }, { name: "node2" }), defaults: { libvirt: { options: { uri: "qemu:///system" } } } };
    expect(problemsOf(config).map((p) => p.path)).toEqual(["defaults.libvirt.options.uri"]);
  });
});

describe("refusals with numbers when the lab does not fit", () => {
  test("a machine that fits nowhere: what it needs, each host's free room, and the fix", () => {
    const problems = problemsOf(lab({ a: { ...HERE, memory: 2048, cpus: 2 }, b: { ...THERE, memory: 4096, cpus: 8 } }, { name: "huge", memory: 8192, cpus: 4 }));
    const problem = problemAt(problems, "machines[0] (huge).host");
    expect(problem.message).toBe("no host has room for it: it needs 8192 MiB and 4 vCPUs; free: a 2048 MiB/2 vCPUs, b 4096 MiB/8 vCPUs (no host offers that much even empty)");
    expect(problem.fix).toBe("add a host, raise a host's memory or cpus (hosts.b memory to 8192), or give the machine less memory or cpus");
    expect(problemAt(problems, "hosts").message).toBe("the lab's 1 machine needs 8192 MiB and 4 vCPUs; the hosts offer 6144 MiB and 10 vCPUs");
  });

  test("a host whose pinned machines exceed it: the machines and the sum against the offer", () => {
    const problems = problemsOf(lab({ a: { ...HERE, memory: 16384, cpus: 8 } }, { name: "n1", host: "a", memory: 12288 }, { name: "n2", host: "a", memory: 8192 }));
    expect(problems.map(formatProblem)).toEqual([
      "hosts.a: n1, n2 need 20480 MiB of the 16384 it offers; raise hosts.a memory to 20480, or name another host on some of them (a machine without host is placed by kvm-lab)",
    ]);
  });

  test("vCPUs count as memory does", () => {
    const problems = problemsOf(lab({ a: { ...HERE, cpus: 4 } }, { name: "n1", host: "a", cpus: 3 }, { name: "n2", host: "a", cpus: 3, memory: 1024 }, { name: "n3", cpus: 1, memory: 512 }));
    expect(problemAt(problems, "hosts.a").message).toBe("n1, n2 need 6 vCPUs of the 4 it offers");
    expect(problemAt(problems, "machines[2] (n3).host").message).toMatch(/^no host has room for it: it needs 512 MiB and 1 vCPU; free: a 5120 MiB\/0 vCPUs/);
  });

  test("a counted entry's machines that fit nowhere are said once, with how many and which", () => {
    const problems = problemsOf(lab({ a: { ...HERE, memory: 8192, cpus: 8 } }, { name: "node{n}", count: 5, memory: 4096, cpus: 1 }));
    const problem = problemAt(problems, "machines[0] (node{n}).host");
    expect(problem.message).toBe(
      "no host has room for 3 of its 5 machines (node3, node4, node5): each needs 4096 MiB and 1 vCPU; free: a 0 MiB/6 vCPUs (machines placed before them, larger or earlier in the config, took the rest)",
    );
    expect(problem.fix).toBe("add a host, raise a host's memory or cpus (hosts.a memory to 20480), or give the machines less memory or cpus");
  });

  test("every problem at once: a bad URI, an unknown host and a machine without room", () => {
    const problems = problemsOf(lab({ a: { ...HERE, uri: "qemu+tls://h/system", memory: 1024 } }, { name: "n1", memory: 2048 }, { name: "n2", host: "b" }));
    expect(problems.map((p) => p.path).sort()).toEqual(["hosts", "hosts.a.uri", "machines[0] (n1).host", "machines[1] (n2).host"]);
  });

  test("a machine's own rule errors are still said beside its placement refusal (not taken for follow-ons)", () => {
    const problems = problemsOf(lab({ a: { ...HERE, memory: 1024 } }, { name: "n1", memory: 2048, nics: [{ mode: "null", adapter: 9 }], forwards: [{ guest: 22, host: 70000 }] }));
    expect(problemAt(problems, "machines[0] (n1).host").message).toMatch(/^no host has room for it/);
    expect(problemAt(problems, "machines[0] (n1).forwards[0].host").message).toMatch(/70000/);
  });
});
