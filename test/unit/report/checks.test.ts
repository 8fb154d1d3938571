// The KVM check report in its three forms, for the cases a person meets in the first hour:
// a required check skipped (neither perl nor QEMU in the guest) and a machine that is not up.
import path from "node:path";
import fs from "fs-extra";
import { DEFAULT_REQUIRED } from "../../../src/checks/ids.js";
import { parseCheckOutput, type MachineReport } from "../../../src/checks/results.js";
import { checkReportObject } from "../../../src/report/json.js";
import { checkSuitesJunit, junitDocument } from "../../../src/report/junit.js";
import { formatCheckTable } from "../../../src/report/table.js";
import { tempDir } from "../../support/tools.js";
import { wellFormedXml } from "../../support/project.js";

const ALL = ["cpu-flags", "kvm-modules", "dev-kvm", "kvm-runs", "kvm-ok", "nested-param", "libvirtd", "virbr0"];
const NO_QEMU = "neither perl (the KVM API probe) nor qemu-system-x86_64 (the QEMU probe) is installed, so no test guest can be run";
const line = (id: string) =>
  id === "kvm-runs" ? `KVMLAB\tkvm-runs\tskip\t${NO_QEMU}` : id === "kvm-ok" ? "KVMLAB\tkvm-ok\tskip\tkvm-ok is not installed (package cpu-checker)" : `KVMLAB\t${id}\tpass\tok`;

const noQemu: MachineReport = { machine: "node1", reachable: true, seconds: 2, checks: parseCheckOutput(ALL.map(line).join("\n"), DEFAULT_REQUIRED) };
const notUp: MachineReport = { machine: "node2", reachable: false, seconds: 0, checks: [], state: "not_created", error: "not running (vagrant status: not_created)", fix: "run kvm-lab up" };

test("a required check that was skipped fails its machine, saying why and what to do; an optional skip does not", () => {
  const runs = noQemu.checks.find((c) => c.id === "kvm-runs")!;
  expect(runs.cause).toBe(`kvm-runs is in checks.required, so a skip counts as a failure (${NO_QEMU})`);
  expect(runs.fix).toMatch(/^give the guest perl, which runs the KVM API probe \(Debian\/Ubuntu: perl-base.*apt-get install -y perl-base\), or else QEMU .*apt-get install -y qemu-system-x86/);
  expect(runs.fix).toContain("or leave kvm-runs out of checks.required");
  expect(noQemu.checks.find((c) => c.id === "kvm-ok")!.cause).toBeUndefined();

  const table = formatCheckTable([noQemu]);
  expect(table).toMatch(/node1 +kvm-runs +SKIP \(required: FAIL\)/);
  expect(table).toMatch(/node1 +kvm-ok +skip /);
  expect(table).toContain(`node1 kvm-runs: kvm-runs is in checks.required, so a skip counts as a failure (${NO_QEMU})\n  fix: give the guest perl, which runs the KVM API probe`);
  expect(table).toContain("node1 FAILED");

  const json = checkReportObject("lab", [noQemu]);
  expect(json.passed).toBe(false);
  const byId = Object.fromEntries(json.machines[0].checks.map((c) => [c.id, c]));
  expect(byId["kvm-runs"]).toMatchObject({ status: "skip", required: true, failsMachine: true, cause: runs.cause, fix: runs.fix });
  expect(byId["kvm-ok"]).toMatchObject({ status: "skip", required: false, failsMachine: false, cause: null, fix: null });
  expect(byId["cpu-flags"]).toMatchObject({ status: "pass", failsMachine: false, cause: null });
});

test("the JUnit report counts a required skip as a failure with its cause and fix", async () => {
  const xml = junitDocument("lab", checkSuitesJunit("lab", [noQemu, notUp]));
  expect(xml).toContain('<testsuite name="lab.node1" tests="8" failures="1" skipped="1"');
  expect(xml).toContain(`<failure message="kvm-runs is in checks.required, so a skip counts as a failure (${NO_QEMU})">`);
  expect(xml).toContain("fix: give the guest perl, which runs the KVM API probe (Debian/Ubuntu: perl-base");
  expect(xml).toContain('<skipped message="kvm-ok is not installed (package cpu-checker)"/>');
  expect(xml).toContain('<failure message="not running (vagrant status: not_created)">not running (vagrant status: not_created)\nfix: run kvm-lab up</failure>');
  const dir = await tempDir();
  try {
    await fs.writeFile(path.join(dir, "r.xml"), xml);
    expect((await wellFormedXml(path.join(dir, "r.xml"))).ok).toBe(true);
  } finally {
    await fs.remove(dir);
  }
});

test("a machine that is not up: its state and the fix in the table and the JSON, typed", () => {
  const table = formatCheckTable([notUp]);
  expect(table).toContain("node2: not running (vagrant status: not_created)\n  fix: run kvm-lab up");
  const json = checkReportObject("lab", [notUp]).machines[0];
  expect(json).toEqual({ machine: "node2", passed: false, reachable: false, state: "not_created", error: "not running (vagrant status: not_created)", fix: "run kvm-lab up", seconds: 0, checks: [] });
});
