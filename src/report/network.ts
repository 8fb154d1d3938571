// Reports of kvm-lab check --network: a table (expected vs actual per pair, then each
// failure in the mode's terms), JSON, and JUnit XML (one test case per pair).
import type { NetworkReport, PairResult } from "../checks/network/run.js";
import { formatTable } from "../text/table.js";
import { xml } from "./junit.js";

function actualText(result: PairResult): string {
  if (result.status === "skip") return "-";
  if (result.reached === undefined) return result.icmp && result.tcp ? "mixed" : "?";
  return result.reached ? "yes" : "no";
}

/** For people: a row per pair, then the failures and guest problems spelled out. */
export function formatNetworkTable(report: NetworkReport): string {
  const rows = report.pairs.map((r) => [
    r.pair.from,
    r.pair.to,
    `${r.pair.via && r.pair.kind === "vm-outside" ? `via ${r.pair.via}` : r.pair.network} (${r.pair.mode})`,
    r.address ?? "-",
    r.pair.expected ? "yes" : "no",
    actualText(r),
    r.status === "pass" ? "ok" : r.status === "skip" ? "skipped" : "FAILED",
  ]);
  const lines = [formatTable(["from", "to", "network (mode)", "address", "expected", "actual", "result"], rows)];
  const failures = report.pairs.filter((r) => r.status === "fail");
  const skips = report.pairs.filter((r) => r.status === "skip");
  if (failures.length) lines.push("", "failures:", ...failures.map((r) => `  ${r.explanation}`));
  if (report.problems.length) lines.push("", "guests:", ...report.problems.map((p) => `  ${p.machine}: ${p.problem}`));
  if (skips.length) {
    const reasons = [...new Set(skips.map((r) => r.explanation))];
    lines.push("", `skipped ${skips.length}: ${reasons.join("; ")}`);
  }
  const passed = report.pairs.filter((r) => r.status === "pass").length;
  lines.push("", `${report.lab}: ${passed} pairs as expected, ${failures.length} not, ${skips.length} skipped (${report.seconds.toFixed(1)} s)${report.passed ? "" : " - FAILED"}`);
  return lines.join("\n");
}

/** The network report for programs (`check --network --json`). */
export function networkReportObject(report: NetworkReport) {
  return {
      lab: report.lab,
      provider: report.provider,
      passed: report.passed,
      seconds: report.seconds,
      problems: report.problems,
      pairs: report.pairs.map((r) => ({
        id: r.pair.id,
        kind: r.pair.kind,
        from: r.pair.from,
        to: r.pair.to,
        network: r.pair.network,
        mode: r.pair.mode,
        ...(r.pair.via ? { via: r.pair.via } : {}),
        address: r.address ?? null,
        expected: r.pair.expected,
        actual: r.reached ?? null,
        status: r.status,
        rule: r.pair.rule,
        explanation: r.explanation,
        icmp: r.icmp ?? null,
        tcp: r.tcp ?? null,
      })),
  };
}

/** One test suite for the lab's network, one case per pair; guest problems are cases too. */
export function networkSuiteJunit(report: NetworkReport): string {
  const name = `${report.lab}.network`;
  const cases = report.pairs.map((r) => {
    const head = `    <testcase classname="${xml(`${name}.${r.pair.from}`)}" name="${xml(`${r.pair.id} (${r.pair.expected ? "reaches" : "isolated"})`)}" time="0">`;
    if (r.status === "pass") return `${head}\n      <system-out>${xml(r.explanation)}</system-out>\n    </testcase>`;
    if (r.status === "skip") return `${head}\n      <skipped message="${xml(r.explanation)}"/>\n    </testcase>`;
    return `${head}\n      <failure message="${xml(r.explanation)}">${xml(`${r.explanation}\nrule: ${r.pair.rule}`)}</failure>\n    </testcase>`;
  });
  for (const problem of report.problems.filter((p) => p.failing)) {
    cases.push(
      `    <testcase classname="${xml(`${name}.${problem.machine}`)}" name="guest" time="0">\n      <failure message="${xml(problem.problem)}">${xml(problem.problem)}</failure>\n    </testcase>`,
    );
  }
  const failures = report.pairs.filter((r) => r.status === "fail").length + report.problems.filter((p) => p.failing).length;
  const skipped = report.pairs.filter((r) => r.status === "skip").length;
  return `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${report.seconds.toFixed(3)}">\n${cases.join("\n")}\n  </testsuite>`;
}
