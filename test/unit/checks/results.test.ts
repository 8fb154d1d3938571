import { execa } from "execa";
import { allPassed, GuestOutputError, parseCheckOutput, type MachineReport } from "../../../src/checks/results.js";
import { DEFAULT_REQUIRED } from "../../../src/checks/ids.js";
import { checkSuitesJunit, junitDocument } from "../../../src/report/junit.js";
import { parseMachineReadable, statesOf } from "../../../src/vagrant/machine-readable.js";
import { ROOT } from "../../support/tools.js";

const line = (id: string, status: string, evidence: string) => `KVMLAB\t${id}\t${status}\t${evidence}`;
const ALL = ["cpu-flags", "kvm-modules", "dev-kvm", "kvm-runs", "kvm-ok", "nested-param", "libvirtd", "virbr0"];

test("parses every check, ignores other output, explains failures", () => {
  const output = ["Welcome banner", ...ALL.map((id) => line(id, id === "kvm-runs" ? "fail" : "pass", `evidence of ${id}`))].join("\n");
  const results = parseCheckOutput(output, DEFAULT_REQUIRED);
  expect(results.map((r) => r.id)).toEqual(ALL);
  const runs = results.find((r) => r.id === "kvm-runs")!;
  expect(runs).toMatchObject({ status: "fail", required: true, evidence: "evidence of kvm-runs" });
  expect(runs.fix).toContain('accel: "tcg"');
  expect(results.find((r) => r.id === "virbr0")!.required).toBe(false);
});

test("garbage, silence and a cut-off run are errors, not passes", () => {
  expect(() => parseCheckOutput(line("cpu-flags", "maybe", "x"), DEFAULT_REQUIRED)).toThrow(GuestOutputError);
  expect(() => parseCheckOutput(line("no-such-check", "pass", "x"), DEFAULT_REQUIRED)).toThrow(GuestOutputError);
  expect(() => parseCheckOutput("", DEFAULT_REQUIRED)).toThrow("the guest printed no check results");
  expect(() => parseCheckOutput(line("cpu-flags", "pass", "x"), DEFAULT_REQUIRED)).toThrow(/stopped before these checks: kvm-modules/);
});

test("a required check that was skipped does not pass the lab", () => {
  const checks = parseCheckOutput(ALL.map((id) => line(id, id === "kvm-runs" ? "skip" : "pass", "e")).join("\n"), DEFAULT_REQUIRED);
  const report: MachineReport = { machine: "m", reachable: true, seconds: 1, checks };
  expect(allPassed([report])).toBe(false);
  expect(allPassed([{ ...report, checks: checks.map((c) => ({ ...c, status: "pass" as const })) }])).toBe(true);
});

test("the guest script is POSIX sh and runs on this machine too", async () => {
  await execa("sh", ["-n", `${ROOT}/templates/guest-check.sh`]);
  const { stdout } = await execa("sh", [`${ROOT}/templates/guest-check.sh`]);
  expect(parseCheckOutput(stdout, DEFAULT_REQUIRED).map((r) => r.id)).toEqual(ALL);
});

test("JUnit XML escapes what the guest says", async () => {
  const checks = parseCheckOutput(ALL.map((id) => line(id, "fail", `<&"\u0001'>`)).join("\n"), DEFAULT_REQUIRED);
  const xml = junitDocument("lab", checkSuitesJunit("lab", [{ machine: "m", reachable: true, seconds: 1, checks }]));
  expect(xml).toContain("&lt;&amp;&quot;'&gt;");
  expect(xml).not.toContain("\u0001");
});

test("vagrant's machine-readable lines, commas and newlines unescaped", () => {
  expect(parseMachineReadable("1700000000,node1,ui,info,a%!(VAGRANT_COMMA) b\\nc")).toEqual({
    timestamp: 1700000000,
    target: "node1",
    type: "ui",
    data: ["info", "a, b\nc"],
  });
  expect(parseMachineReadable("==> plain text")).toBeUndefined();
  expect(statesOf("1,a,state,running\n1,b,state,not_created\n1,,ui,info,x")).toEqual(new Map([["a", "running"], ["b", "not_created"]]));
});

test("--only: the script runs the named checks' functions, and only those results are expected", async () => {
  const { stdout } = await execa("sh", ["-c", `KVMLAB_ONLY='cpu_flags libvirt' sh ${ROOT}/templates/guest-check.sh`]);
  const results = parseCheckOutput(stdout, DEFAULT_REQUIRED, ["cpu-flags", "libvirtd"]);
  expect(results.map((r) => r.id)).toEqual(["cpu-flags", "libvirtd"]);
  expect(stdout).not.toContain("\tdev-kvm\t");
});
