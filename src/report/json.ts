// The check report for programs: typed values only (booleans, numbers, null for "none"),
// the same keys on every machine and every check whether it passed or not.
import { allPassed, checkFails, machinePassed, type CheckResult, type MachineReport } from "../checks/results.js";

/** One check as JSON: `failsMachine` is true for a required check that failed or was skipped. */
function checkObject(check: CheckResult) {
  return {
    id: check.id,
    status: check.status,
    required: check.required,
    failsMachine: checkFails(check),
    evidence: check.evidence,
    cause: check.cause ?? null,
    fix: check.fix ?? null,
  };
}

/** One machine as JSON: `state` is vagrant's word for a machine that is not running, else null. */
export function machineReportObject(report: MachineReport) {
  return {
    machine: report.machine,
    passed: machinePassed(report),
    reachable: report.reachable,
    state: report.state ?? null,
    error: report.error ?? null,
    fix: report.fix ?? null,
    seconds: report.seconds,
    checks: report.checks.map(checkObject),
  };
}

/** The check report as a plain object (`kvm-lab check --json` prints it). */
export function checkReportObject(lab: string, reports: MachineReport[]) {
  return { lab, passed: allPassed(reports), machines: reports.map(machineReportObject) };
}
