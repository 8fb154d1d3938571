// JUnit XML for CI: one test suite per machine, one test case per check (an unreachable
// machine is one failed case, with what to do), failures with their cause and fix, skips
// with their reason; a required check that was skipped is a failure, saying why.
import { checkFails, type MachineReport } from "../checks/results.js";

/** Text as XML character data or an attribute value (control characters XML cannot hold dropped). */
export function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** A JUnit document of test suites (each a `<testsuite>` element's text). */
export function junitDocument(lab: string, suites: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`kvm-lab ${lab}`)}">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** One test suite per machine. */
export function checkSuitesJunit(lab: string, reports: MachineReport[]): string[] {
  return reports.map((report) => {
    const name = `${lab}.${report.machine}`;
    if (!report.reachable) {
      return [
        `  <testsuite name="${xml(name)}" tests="1" failures="1" skipped="0" time="${report.seconds.toFixed(3)}">`,
        `    <testcase classname="${xml(name)}" name="reachable" time="${report.seconds.toFixed(3)}">`,
        `      <failure message="${xml(report.error ?? "unreachable")}">${xml(`${report.error ?? "unreachable"}${report.fix ? `\nfix: ${report.fix}` : ""}`)}</failure>`,
        "    </testcase>",
        "  </testsuite>",
      ].join("\n");
    }
    const failures = report.checks.filter((c) => c.status === "fail" || checkFails(c)).length;
    const skipped = report.checks.filter((c) => c.status === "skip" && !checkFails(c)).length;
    const cases = report.checks.map((check) => {
      const head = `    <testcase classname="${xml(name)}" name="${xml(check.id)}${check.required ? "" : " (optional)"}" time="0">`;
      if (check.status === "pass") return `${head}\n      <system-out>${xml(check.evidence)}</system-out>\n    </testcase>`;
      if (check.status === "skip" && !checkFails(check)) return `${head}\n      <skipped message="${xml(check.evidence)}"/>\n    </testcase>`;
      return `${head}\n      <failure message="${xml(check.cause ?? check.evidence)}">${xml(`${check.evidence}\nfix: ${check.fix ?? ""}`)}</failure>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${xml(name)}" tests="${report.checks.length}" failures="${failures}" skipped="${skipped}" time="${report.seconds.toFixed(3)}">`,
      ...cases,
      "  </testsuite>",
    ].join("\n");
  });
}
