// Machine counts: what an entry with `count` expands to (names, hostnames, stepped
// addresses, MACs and host ports), the rules of counts with their paths, and that plan and
// a JSON config see every machine.
import path from "node:path";
import fs from "fs-extra";
import { checkConfig, loadLab } from "../../../src/config/load.js";
import type { LabConfig, MachineConfig } from "../../../src/config/types.js";
import { formatProblem, type Problem } from "../../../src/errors.js";
import { planJson, planLab } from "../../../src/net/plan.js";
import { kvmLab } from "../../support/cli.js";
import { tempDir } from "../../support/tools.js";
import { problemsOf } from "../../support/problems.js";

function labWith(...machines: MachineConfig[]): LabConfig {
  return {
    name: "lab",
    box: "debian/bookworm64",
    networks: { mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" }, tenant: { mode: "intnet", cidr: "10.10.0.0/24" } },
    machines,
  };
}


function at(problems: Problem[], where: string): Problem {
  const found = problems.filter((p) => p.path === where);
  if (found.length !== 1) throw new Error(`${found.length} problems at ${where}; got:\n${problems.map(formatProblem).join("\n")}`);
  return found[0];
}

describe("expansion", () => {
  test("names take the number at {n}, or after the name; hostnames at {n}", () => {
    const { lab } = checkConfig(
      labWith(
        { name: "controller" },
        { name: "compute{n}", hostname: "compute{n}.lab.example", count: 3 },
        { name: "store", count: 2 },
        { name: "n{n}-x", count: 2 },
      ),
    );
    expect(lab.machines.map((m) => m.name)).toEqual(["controller", "compute1", "compute2", "compute3", "store1", "store2", "n1-x", "n2-x"]);
    expect(lab.machines.map((m) => m.hostname)).toEqual([
      "controller",
      "compute1.lab.example",
      "compute2.lab.example",
      "compute3.lab.example",
      "store1",
      "store2",
      "n1-x",
      "n2-x",
    ]);
    expect(lab.machines.map((m) => m.path)).toEqual([
      "machines[0] (controller)",
      "machines[1] (compute1)",
      "machines[1] (compute2)",
      "machines[1] (compute3)",
      "machines[2] (store1)",
      "machines[2] (store2)",
      "machines[3] (n1-x)",
      "machines[3] (n2-x)",
    ]);
    expect(lab.machines.map((m) => m.group)).toEqual([undefined, "compute", "compute", "compute", "store", "store", "n-x", "n-x"]);
    expect(lab.machines[2].entry).toEqual({ index: 1, name: "compute{n}", hostname: "compute{n}.lab.example", count: 3, countFrom: undefined, n: 2, first: 1 });
  });

  test("static IPs, MACs and forwarded host ports go up by one per machine; everything else is copied", () => {
    const { lab } = checkConfig(
      labWith({
        name: "compute{n}",
        count: 3,
        cpus: 4,
        nics: [
          { network: "mgmt", ip: "192.168.56.21", mac: "52:54:00:00:00:fe" },
          { network: "tenant", ip: "10.10.0.100" },
          { mode: "nat", forwards: [{ guest: 80, host: 8080 }] },
        ],
        forwards: [{ guest: 22, host: 2200 }],
      }),
    );
    expect(lab.machines.map((m) => m.nics[0].ip)).toEqual(["192.168.56.21", "192.168.56.22", "192.168.56.23"]);
    // The MAC carries into the next byte.
    expect(lab.machines.map((m) => m.nics[0].mac)).toEqual(["52:54:00:00:00:fe", "52:54:00:00:00:ff", "52:54:00:00:01:00"]);
    expect(lab.machines.map((m) => m.nics[1].ip)).toEqual(["10.10.0.100", "10.10.0.101", "10.10.0.102"]);
    expect(lab.machines.map((m) => m.nics[2].forwards[0].host)).toEqual([8080, 8081, 8082]);
    expect(lab.machines.map((m) => m.forwards[0].host)).toEqual([2200, 2201, 2202]);
    expect(lab.machines.map((m) => m.forwards[0].guest)).toEqual([22, 22, 22]);
    expect(lab.machines.map((m) => m.cpus)).toEqual([4, 4, 4]);
  });

  test("a JSON config with count loads as every machine", async () => {
    const dir = await tempDir("kvm-lab-counts-");
    try {
      await fs.writeJson(path.join(dir, "kvm-lab.config.json"), {
        name: "lab",
        box: "debian/bookworm64",
        networks: { mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" } },
        machines: [{ name: "node{n}", count: 4, nics: [{ network: "mgmt", ip: "192.168.56.11" }] }],
      });
      const { lab, warnings } = await loadLab(dir);
      expect(warnings).toEqual([]);
      expect(lab.machines.map((m) => `${m.name}=${m.nics[0].ip}`)).toEqual([
        "node1=192.168.56.11",
        "node2=192.168.56.12",
        "node3=192.168.56.13",
        "node4=192.168.56.14",
      ]);
    } finally {
      await fs.remove(dir);
    }
  });

  test("plan lists every machine of a counted entry with its own address", () => {
    const { lab } = checkConfig(labWith({ name: "web" }, { name: "compute{n}", count: 3, nics: [{ network: "tenant", ip: "10.10.0.21" }] }));
    const plan = planJson(planLab(lab)) as { machine: string; adapters: { ip?: string | null }[] }[];
    expect(plan.map((m) => m.machine)).toEqual(["web", "compute1", "compute2", "compute3"]);
    expect(plan.slice(1).map((m) => m.adapters[1].ip)).toEqual(["10.10.0.21", "10.10.0.22", "10.10.0.23"]);
  });
});

describe("rules", () => {
  test("a count below 1 is an error at the entry; it is not also a bad name", () => {
    const problems = problemsOf(labWith({ name: "compute{n}", count: 0 }, { name: "web", count: -2 }));
    expect(at(problems, "machines[0] (compute{n}).count")).toMatchObject({ message: "0 is not a number of machines" });
    expect(at(problems, "machines[1] (web).count").fix).toMatch(/use 1 or more/);
    expect(problems).toHaveLength(2);
  });

  test("a count past 1000 is refused before it is expanded (a typo must not make a million machines)", () => {
    const started = Date.now();
    const problems = problemsOf(labWith({ name: "node{n}", count: 1e9 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problems.map(formatProblem)).toEqual(["machines[0] (node{n}).count: 1000000000 machines are more than one lab can run; use at most 1000"]);
    expect(problemsOf(labWith({ name: "node{n}", count: 1000 }))).toEqual([]);
  });

  test("a count that is not a whole number is the shape check's, said once", () => {
    const problems = problemsOf(labWith({ name: "compute{n}", count: 2.5 }));
    expect(problems.map(formatProblem)).toEqual(["machines[0].count: expected a whole number, got 2.5"]);
    const quoted = problemsOf(labWith({ name: "web", count: "3" as unknown as number }));
    expect(quoted.map(formatProblem)).toEqual(['machines[0] (web).count: expected a whole number, got "3"; write 3 without quotes']);
  });

  test("countFrom numbers the first machine (mon0, mon1, ...); addresses still step from the values written", () => {
    const { lab, warnings } = checkConfig(
      labWith({ name: "mon{n}", count: 3, countFrom: 0, nics: [{ network: "mgmt", ip: "192.168.56.10" }] }, { name: "osd", count: 2, countFrom: 5 }),
    );
    expect(warnings).toEqual([]);
    expect(lab.machines.map((m) => [m.name, m.nics[0]?.ip])).toEqual([
      ["mon0", "192.168.56.10"],
      ["mon1", "192.168.56.11"],
      ["mon2", "192.168.56.12"],
      ["osd5", undefined],
      ["osd6", undefined],
    ]);
    expect(lab.machines.map((m) => m.path)).toEqual(["machines[0] (mon0)", "machines[0] (mon1)", "machines[0] (mon2)", "machines[1] (osd5)", "machines[1] (osd6)"]);
  });

  test("countFrom: below 0 an error, without count a warning; a clash names the numbers the entry makes", () => {
    expect(at(problemsOf(labWith({ name: "mon{n}", count: 2, countFrom: -1 })), "machines[0] (mon{n}).countFrom").fix).toBe("use 0 or more (the first machine's number; default 1)");
    const { warnings } = checkConfig(labWith({ name: "mon", countFrom: 0 }));
    expect(warnings.map(formatProblem)).toEqual(["machines[0] (mon).countFrom: numbers the machines of an entry with count, and this entry has none; add count: N, or remove countFrom"]);
    const clash = at(problemsOf(labWith({ name: "mon3" }, { name: "mon{n}", count: 3, countFrom: 2 })), "machines[1] (mon{n}).name");
    expect(clash.fix).toContain("mon{n} with {n} from 2 to 4");
  });

  test("{n} without a count: a warning, and the entry is machine number 1", () => {
    const { lab, warnings } = checkConfig(labWith({ name: "node{n}", hostname: "node{n}.lab" }));
    expect(lab.machines.map((m) => [m.name, m.hostname])).toEqual([["node1", "node1.lab"]]);
    expect(warnings.map((w) => w.path)).toEqual(["machines[0] (node{n}).name", "machines[0] (node{n}).hostname"]);
    expect(warnings[0].message).toContain('it is one machine, name "node1"');
    expect(warnings[0].fix).toBe("add count: N for N machines, or write the name without {n}");
  });

  test("{n} in a counted entry's provisioning step is warned once, at the entry: it reaches the guest as written", () => {
    const { lab, warnings } = checkConfig(
      labWith({
        name: "node0{n}",
        count: 2,
        provision: [{ type: "shell", name: "setup-hosts", inline: "echo hi", args: ["enp0s8", "node0{n}"], env: { ROLE: "worker{n}" } }, "echo node{n}", { type: "shell", inline: "echo fine" }],
      }),
    );
    const step = lab.machines[1].provision[0];
    expect(step.type === "shell" && step.args).toEqual(["enp0s8", "node0{n}"]); // as written, on every machine
    expect(warnings.map((w) => w.path)).toEqual(["machines[0] (node0{n}).provision[0].args[1]", "machines[0] (node0{n}).provision[0].env.ROLE", "machines[0] (node0{n}).provision[1].inline"]);
    expect(warnings[0].message).toBe('{n} is the machine\'s number only in name, hostname and virtualbox.name; here every machine gets "{n}" as written');
    expect(warnings[0].fix).toBe("read the number in the guest, where each machine's hostname has it (`hostname -s` is node01 on the first), or write the machines as entries of their own");
    // Not counted: the {n} name warning alone.
    expect(checkConfig(labWith({ name: "solo", provision: ["echo {n}"] })).warnings).toEqual([]);
  });

  test("a counted hostname without {n} is an error: every machine would share it", () => {
    const problems = problemsOf(labWith({ name: "compute{n}", hostname: "compute.lab.example", count: 3 }));
    expect(at(problems, "machines[0] (compute{n}).hostname")).toEqual({
      path: "machines[0] (compute{n}).hostname",
      message: 'all 3 machines of this entry would have the hostname "compute.lab.example"',
      fix: 'put {n} where each machine\'s number goes, e.g. "compute{n}.lab.example"',
    });
    // count: 1 has one machine: its hostname is its own.
    expect(problemsOf(labWith({ name: "solo{n}", hostname: "solo", count: 1 }))).toEqual([]);
  });

  test("a name taken by a counted entry's machine names the entry and the machine", () => {
    const problems = problemsOf(labWith({ name: "compute2" }, { name: "compute{n}", count: 3 }));
    expect(at(problems, "machines[1] (compute{n}).name").message).toBe('its machine 2, "compute2", is already the name of machines[0] (compute2)');
    const other = problemsOf(labWith({ name: "node{n}", count: 2 }, { name: "node2" }));
    expect(at(other, "machines[1] (node2).name").message).toBe('"node2" is already the name of machine 2 of machines[0] (node{n}), "node2"');
    const alike = problemsOf(labWith({ name: "vm{n}", count: 3 }, { name: "vm{n}", count: 2 }));
    expect(alike.map(formatProblem)).toEqual([
      'machines[1] (vm{n}).name: its machine 1, "vm1", is already the name of machine 1 of machines[0] (vm{n}), "vm1" (and 1 more of its machines); give every machine its own name (a counted entry\'s machines are named vm{n} with {n} from 1 to 2)',
    ]);
    // Two counted entries clashing: appended numbers too (store + 11 = store11 = store1 + 1).
    const twice = problemsOf(labWith({ name: "store", count: 11 }, { name: "store1{n}", count: 2 }));
    expect(at(twice, "machines[1] (store1{n}).name").message).toBe('its machine 1, "store11", is already the name of machine 11 of machines[0] (store), "store11"');
  });

  test("addresses stepping out of the block: one error at the entry naming the first machine out", () => {
    const problems = problemsOf(labWith({ name: "compute{n}", count: 5, nics: [{ network: "tenant", ip: "10.10.0.252" }] }));
    expect(problems).toEqual([
      {
        path: "machines[0] (compute{n}).nics[0].ip",
        message: "with count 5 the address goes up by one per machine from 10.10.0.252: machine 4 (compute4) would get 10.10.0.255, the broadcast address of 10.10.0.0/24 (and 1 more)",
        fix: "start at 10.10.0.250 or lower, or use a bigger block than 10.10.0.0/24",
      },
    ]);
    const outside = problemsOf(labWith({ name: "n", count: 3, nics: [{ network: "mgmt", ip: "192.168.56.253" }] }));
    expect(at(outside, "machines[0] (n).nics[0].ip").message).toBe(
      "with count 3 the address goes up by one per machine from 192.168.56.253: machine 3 (n3) would get 192.168.56.255, the broadcast address of 192.168.56.0/24",
    );
    // The first machine's own bad address is the ordinary rule's, said once.
    const first = problemsOf(labWith({ name: "n", count: 3, nics: [{ network: "mgmt", ip: "10.1.1.1" }] }));
    expect(first.map((p) => p.path)).toEqual(["machines[0] (n1).nics[0].ip"]);
    expect(first[0].message).toBe("10.1.1.1 is outside mgmt's 192.168.56.0/24");
  });

  test("host ports stepping over 65535: one error at the entry naming the machine", () => {
    const problems = problemsOf(
      labWith({ name: "web{n}", count: 4, forwards: [{ guest: 80, host: 65534 }], nics: [{ mode: "nat", forwards: [{ guest: 22, host: 65000 }] }] }),
    );
    expect(problems).toEqual([
      {
        path: "machines[0] (web{n}).forwards[0].host",
        message: "with count 4 the host port goes up by one per machine from 65534: machine 3 (web3) would get 65536, above 65535 (and 1 more)",
        fix: "start at 65532 or lower",
      },
    ]);
  });

  test("the same problem on every machine of an entry is said once, at the entry", () => {
    const config = labWith({ name: "ok" }, { name: "compute{n}", count: 3, cpuModel: "bad model" });
    const problems = problemsOf(config);
    expect(problems.map(formatProblem)).toEqual([
      'machines[1] (compute{n}).cpuModel: "bad model" is not a CPU model name; use a name from `virsh cpu-models x86_64`, e.g. kvm64',
    ]);
    const noBox = problemsOf({ ...labWith({ name: "web", box: "b" }, { name: "vm{n}", count: 2 }), box: undefined });
    expect(noBox.map((p) => p.path)).toEqual(["machines[1] (vm{n}).box"]);
  });

  test("messages about one machine of an entry name the machine (a clash with another machine's address)", () => {
    const problems = problemsOf(labWith({ name: "web", nics: [{ network: "tenant", ip: "10.10.0.22" }] }, { name: "vm{n}", count: 3, nics: [{ network: "tenant", ip: "10.10.0.21" }] }));
    expect(problems.map(formatProblem)).toEqual([
      "machines[1] (vm2).nics[0].ip: 10.10.0.22 is already used on tenant by machines[0] (web).nics[0]; give every NIC its own address",
    ]);
  });
});

test("kvm-lab plan prints every machine of a counted entry", async () => {
  const dir = await tempDir("kvm-lab-counts-plan-");
  try {
    await fs.writeJson(path.join(dir, "kvm-lab.config.json"), {
      name: "lab",
      box: "debian/bookworm64",
      networks: { tenant: { mode: "intnet", cidr: "10.10.0.0/24" } },
      machines: [{ name: "compute{n}", count: 3, memory: 512, cpus: 1, nics: [{ network: "tenant", ip: "10.10.0.21" }] }],
    });
    const result = await kvmLab(["plan", "--json"], { cwd: dir });
    expect(result.stderr).toBe("");
    const plan = JSON.parse(result.stdout);
    expect(plan.machines.map((m: { machine: string }) => m.machine)).toEqual(["compute1", "compute2", "compute3"]);
    expect(plan.machines[2].adapters[1].ip).toBe("10.10.0.23");
  } finally {
    await fs.remove(dir);
  }
});

test("a problem every machine of an entry has in its own name is said once, with the entry's pattern", () => {
  const problems = problemsOf(labWith({ name: "ok" }, { name: "c{n}", count: 3 }, { name: "b", count: 2 }));
  expect(problems.map(formatProblem)).toEqual([
    'machines[1] (c{n}).name: "c{n}" is made of hex digits only, and Vagrant looks such names up as machine IDs (by prefix) in its global index before this Vagrantfile, so it may act on another project\'s machine; add a letter outside a-f, e.g. "node-c{n}"',
    'machines[2] (b).name: "b{n}" is made of hex digits only, and Vagrant looks such names up as machine IDs (by prefix) in its global index before this Vagrantfile, so it may act on another project\'s machine; add a letter outside a-f, e.g. "node-b{n}"',
  ]);
});
