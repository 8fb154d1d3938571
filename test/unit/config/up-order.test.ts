// The order machines come up in: the wave planner (upAfter, counted entries, machines not
// selected) and the rules of upAfter with their paths (unknown names, self, cycles).
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig, MachineConfig } from "../../../src/config/types.js";
import { autostartMachines, upWaves } from "../../../src/config/up-order.js";
import { formatProblem } from "../../../src/errors.js";
import { libvirtReachable, render, rubySyntaxOk, vagrantValidate } from "../../support/tools.js";
import { problemsOf } from "../../support/problems.js";

const labWith = (...machines: MachineConfig[]): LabConfig => ({ name: "lab", box: "debian/bookworm64", machines });
const loaded = (...machines: MachineConfig[]) => checkConfig(labWith(...machines));
const all = (lab: { machines: { name: string }[] }) => lab.machines.map((m) => m.name);


describe("upWaves", () => {
  test("no upAfter: one wave of every machine, in config order", () => {
    const { lab } = loaded({ name: "na" }, { name: "nb" }, { name: "nc" });
    expect(upWaves(lab, ["nc", "na", "nb"])).toEqual([["na", "nb", "nc"]]);
  });

  test("a machine waits for its upAfter machines; independent ones share the earliest wave", () => {
    const { lab } = loaded(
      { name: "web", upAfter: ["sql", "cache"] },
      { name: "sql" },
      { name: "cache", upAfter: ["sql"] },
      { name: "monitor" },
      { name: "lb", upAfter: ["web"] },
    );
    expect(upWaves(lab, all(lab))).toEqual([["sql", "monitor"], ["cache"], ["web"], ["lb"]]);
  });

  test("a counted entry as written stands for all its machines, both ways", () => {
    const { lab } = loaded(
      { name: "controller" },
      { name: "compute{n}", count: 3, upAfter: ["controller"] },
      { name: "network", upAfter: ["compute{n}"] },
      { name: "probe", upAfter: ["compute2"] },
    );
    expect(upWaves(lab, all(lab))).toEqual([["controller"], ["compute1", "compute2", "compute3"], ["network", "probe"]]);
  });

  test("only the selected machines come up; waiting for one not selected is dropped", () => {
    const { lab } = loaded({ name: "na" }, { name: "nb", upAfter: ["na"] }, { name: "nc", upAfter: ["nb"] });
    expect(upWaves(lab, ["nc", "nb"])).toEqual([["nb"], ["nc"]]);
    expect(upWaves(lab, ["nc", "na"])).toEqual([["na", "nc"]]);
    expect(upWaves(lab, [])).toEqual([]);
  });

  test("autostart: false machines are not among the ones up starts unnamed", () => {
    const { lab } = loaded({ name: "na" }, { name: "spare", autostart: false }, { name: "nc", autostart: true });
    expect(autostartMachines(lab)).toEqual(["na", "nc"]);
  });
});

describe("upAfter rules", () => {
  test("an unknown name: did you mean, at the entry's path", () => {
    const problems = problemsOf(labWith({ name: "controller" }, { name: "compute{n}", count: 2, upAfter: ["controler", "zzz"] }));
    expect(problems.map(formatProblem)).toEqual([
      'machines[1] (compute{n}).upAfter[0]: "controler" is not a machine of this lab; did you mean "controller"?',
      'machines[1] (compute{n}).upAfter[1]: "zzz" is not a machine of this lab; use one of: controller, compute1, compute2, compute{n}',
    ]);
  });

  test("a machine waiting for itself, or a counted entry for its own machines", () => {
    const problems = problemsOf(labWith({ name: "na", upAfter: ["na"] }, { name: "n{n}", count: 2, upAfter: ["n1"] }));
    expect(problems.map(formatProblem)).toEqual([
      'machines[0] (na).upAfter[0]: a machine cannot wait for itself; remove "na"',
      'machines[1] (n{n}).upAfter[0]: the entry\'s machines cannot wait for each other; remove "n1"',
    ]);
  });

  test("a counted entry clashing with a machine it waits for: the name clash alone is reported, not a wait for its own machine", () => {
    // pve1 on its own, then pve{n} for the others (numbered from 1, so it makes a second pve1), waiting for pve1.
    const problems = problemsOf(labWith({ name: "pve1" }, { name: "pve{n}", count: 2, upAfter: ["pve1"] }));
    expect(problems.map((p) => p.path)).toEqual(["machines[1] (pve{n}).name"]);
    expect(problems[0].message).toContain('"pve1", is already the name of machines[0] (pve1)');
  });

  test("a cycle is one error naming the machines along it", () => {
    const problems = problemsOf(labWith({ name: "na", upAfter: ["nc"] }, { name: "nb", upAfter: ["na"] }, { name: "nc", upAfter: ["nb"] }, { name: "nd", upAfter: ["na"] }));
    expect(problems).toEqual([
      {
        path: "machines[0] (na).upAfter",
        message: "machines wait for each other in a cycle, so none can come up first: na waits for nc waits for nb waits for na",
        fix: "remove one of these upAfter names",
      },
    ]);
    const viaCount = problemsOf(labWith({ name: "sql", upAfter: ["app{n}"] }, { name: "app{n}", count: 2, upAfter: ["sql"] }));
    expect(viaCount.map((p) => p.message)).toEqual(["machines wait for each other in a cycle, so none can come up first: sql waits for app1 waits for sql"]);
  });

  test("waiting for an autostart: false machine is a warning: unnamed up does not start it", () => {
    const { warnings } = checkConfig(labWith({ name: "web", upAfter: ["sql"] }, { name: "sql", autostart: false }));
    expect(warnings.map(formatProblem)).toEqual([
      "machines[0] (web).upAfter[0]: sql has autostart: false, so `kvm-lab up` without machine names does not start it and this machine does not wait; name both to bring them up in order (kvm-lab up sql web), or remove autostart: false",
    ]);
  });
});

test("one primary machine at most: a second, or a counted entry marked primary, is an error", () => {
  expect(problemsOf(labWith({ name: "web", primary: true }, { name: "sql", primary: true })).map(formatProblem)).toEqual([
    "machines[1] (sql).primary: machines[0] (web) is already the primary machine; mark one machine primary: true (the one `vagrant ssh` picks when none is named)",
  ]);
  expect(problemsOf(labWith({ name: "node{n}", count: 2, primary: true })).map((p) => [p.path, p.message])).toEqual([
    ["machines[0] (node{n}).primary", "all 2 machines of this entry would be primary"],
  ]);
});

describe("rendered", () => {
  const config = { ...labWith({ name: "web", primary: true }, { name: "sql" }, { name: "spare", autostart: false, primary: false }) };

  test.each(["virtualbox", "libvirt"] as const)("%s: autostart: false and primary: true are options of config.vm.define; Vagrant reads them", async (provider) => {
    const text = render(config, provider);
    expect(text).toContain('config.vm.define "web", primary: true do |node|');
    expect(text).toContain('config.vm.define "sql" do |node|');
    expect(text).toContain('config.vm.define "spare", autostart: false do |node|');
    expect((await rubySyntaxOk(text)).ok).toBe(true);
    if (provider === "libvirt" && !libvirtReachable()) return;
    const result = await vagrantValidate(text, provider);
    expect(result.output).toContain("Vagrantfile validated successfully");
  }, 60_000);
});
