// check --network across hosts (src/fabric/diagnose.ts): a failed pair whose ends are on two
// hosts of a spanning network gets its tunnel and what is wrong with it as its cause; pairs
// on one host, passing pairs and networks that span nothing are left as they were.
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig } from "../../../src/config/types.js";
import type { NetworkReport, PairResult } from "../../../src/checks/network/run.js";
import { explainAcrossHosts, failsAcrossHosts } from "../../../src/fabric/diagnose.js";
import { spansOf } from "../../../src/fabric/spans.js";

const config: LabConfig = {
  name: "diag",
  provider: "libvirt",
  box: "debian/bookworm64",
  hosts: { a: { uri: "qemu:///system", cpus: 8, memory: 8192 }, b: { uri: "qemu+ssh://root@198.51.100.2/system", cpus: 8, memory: 8192 } },
  networks: { back: { mode: "intnet", cidr: "10.30.0.0/24" }, lan: { mode: "hostonly", cidr: "192.168.57.0/24" } },
  machines: [
    { name: "ma", host: "a", nics: [{ network: "back", ip: "10.30.0.10" }, { network: "lan", ip: "192.168.57.10" }] },
    { name: "mb", host: "b", nics: [{ network: "back", ip: "10.30.0.11" }, { network: "lan", ip: "192.168.57.11" }] },
    { name: "mc", host: "b", nics: [{ network: "back", ip: "10.30.0.12" }] },
  ],
};

const pair = (from: string, to: string, network: string, status: PairResult["status"]): PairResult =>
  ({ pair: { id: `${from} -> ${to} @${network}`, from, to, network, kind: "vm-vm", mode: network === "back" ? "intnet" : "hostonly", target: { kind: "machine", machine: to }, expected: true, rule: "r" }, status, explanation: "could not reach" }) as unknown as PairResult;

test("failed pairs across hosts name the tunnel and its fault; the others stay as they were", () => {
  const { lab } = checkConfig(config);
  const [back, lan] = spansOf(lab);
  const report: NetworkReport = {
    lab: "diag",
    provider: "libvirt",
    passed: false,
    seconds: 1,
    problems: [],
    pairs: [pair("ma", "mb", "back", "fail"), pair("mb", "mc", "back", "fail"), pair("ma", "mb", "lan", "pass"), pair("host", "mb", "lan", "fail")],
  };
  expect(failsAcrossHosts(lab, report)).toBe(true);
  const explained = explainAcrossHosts(lab, report, [
    { span: back, problems: [`host b: ${back.device} is down`] },
    { span: lan, problems: [] },
  ]);
  expect(explained.pairs[0].explanation).toBe(`could not reach; across hosts, cause: tunnel ${back.device} of intnet 'back' between hosts a, b: host b: ${back.device} is down`);
  expect(explained.pairs[1].explanation).toBe("could not reach"); // mb and mc are both on b
  expect(explained.pairs[2].explanation).toBe("could not reach"); // passed
  // "host" is the network's home (a): host -> mb crosses to b.
  expect(explained.pairs[3].explanation).toContain(`tunnel ${lan.device} of hostonly 'lan' between hosts a, b: looks whole`);
  expect(explained.problems.map((p) => p.machine)).toEqual(["hosts", "hosts"]);
  expect(failsAcrossHosts(lab, { ...report, pairs: [report.pairs[1], report.pairs[2]] })).toBe(false);
});
