// The check report for programs.
import { allPassed, machinePassed, type MachineReport } from "../checks/results.js";

export function checkReportJson(lab: string, reports: MachineReport[]): string {
  return JSON.stringify(
    { lab, passed: allPassed(reports), machines: reports.map((r) => ({ ...r, passed: machinePassed(r) })) },
    null,
    2,
  );
}
