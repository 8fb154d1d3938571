// The check report for programs.
import { allPassed, machinePassed, type MachineReport } from "../checks/results.js";

export function checkReportJson(lab: string, reports: MachineReport[]): string {
  return JSON.stringify(checkReportObject(lab, reports), null, 2);
}

export function checkReportObject(lab: string, reports: MachineReport[]) {
  return { lab, passed: allPassed(reports), machines: reports.map((r) => ({ ...r, passed: machinePassed(r) })) };
}
