// Network check reports: the table spells out each failure in the mode's terms, JSON keeps
// expected and actual, JUnit has a case per pair and per failing guest.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import { expectedMatrix } from "../../../src/net/matrix.js";
import type { NetworkReport } from "../../../src/checks/network/run.js";
import { junitDocument } from "../../../src/report/junit.js";
import { formatNetworkTable, networkReportObject, networkSuiteJunit } from "../../../src/report/network.js";
import { tempDir } from "../../support/tools.js";

const { lab } = checkConfig({
  name: "rep",
  provider: "libvirt",
  box: "b",
  networks: { tenant: { mode: "intnet", cidr: "10.10.0.0/24" } },
  machines: [
    { name: "node1", nics: [{ network: "tenant", ip: "10.10.0.10" }] },
    { name: "node2", nics: [{ network: "tenant", ip: "10.10.0.11" }] },
  ],
});
const pairs = expectedMatrix(lab);
const pair = (id: string) => pairs.find((p) => p.id === id)!;

const report: NetworkReport = {
  lab: "rep",
  provider: "libvirt",
  passed: false,
  seconds: 3.2,
  problems: [{ machine: "node2", failing: true, problem: 'virbr0 192.168.122.1/24 overlaps the lab network \'x\' <&">' }],
  pairs: [
    { pair: pair("node1 -> node2 @tenant"), address: "10.10.0.11", reached: true, status: "pass", explanation: "icmp: echo reply; tcp: connected", icmp: { reached: true, evidence: "echo reply" }, tcp: { reached: true, evidence: "connected" } },
    {
      pair: pair("host -> node1 @tenant"),
      address: "10.10.0.10",
      reached: true,
      status: "fail",
      explanation: "intnet 'tenant': host reached node1 at 10.10.0.10, but internal networks do not include the host (icmp: echo reply from 10.10.0.10)",
    },
    { pair: pair("node1 -> outside via nic1"), status: "skip", explanation: "no outside stand-in given (--outside ADDRESS[:PORT])" },
  ],
};

test("the table shows expected and actual per pair, then each failure and guest problem in words", () => {
  const text = formatNetworkTable(report);
  expect(text).toMatch(/^node1 +node2 +tenant \(intnet\) +10\.10\.0\.11 +yes +yes +ok$/m);
  expect(text).toMatch(/^host +node1 +tenant \(intnet\) +10\.10\.0\.10 +no +yes +FAILED$/m);
  expect(text).toMatch(/^node1 +outside +via nic1 \(management\) +- +yes +- +skipped$/m);
  expect(text).toContain("failures:\n  intnet 'tenant': host reached node1 at 10.10.0.10, but internal networks do not include the host");
  expect(text).toContain("guests:\n  node2: virbr0 192.168.122.1/24 overlaps");
  expect(text).toContain("skipped 1: no outside stand-in given (--outside ADDRESS[:PORT])");
  expect(text).toMatch(/rep: 1 pairs as expected, 1 not, 1 skipped \(3\.2 s\) - FAILED$/);
});

test("JSON keeps the verdicts, the rule and the probes", () => {
  const json = JSON.parse(JSON.stringify(networkReportObject(report)));
  expect(json.passed).toBe(false);
  expect(json.pairs[1]).toMatchObject({ id: "host -> node1 @tenant", expected: false, actual: true, status: "fail", rule: "internal networks do not include the host" });
  expect(json.pairs[2]).toMatchObject({ actual: null, status: "skip" });
});

test("JUnit: a case per pair and per failing guest, escaped, well-formed", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "net.xml");
    await fs.writeFile(file, junitDocument(report.lab, [networkSuiteJunit(report)]));
    await execa("xmllint", ["--noout", file]);
    const xml = await fs.readFile(file, "utf8");
    expect(xml).toContain('<testsuite name="rep.network" tests="4" failures="2" skipped="1"');
    expect(xml).toContain('name="host -&gt; node1 @tenant (isolated)"');
    expect(xml).toContain("&lt;&amp;&quot;&gt;");
  } finally {
    await fs.remove(dir);
  }
});
