// The check report for programs.
import { allPassed, machinePassed, type MachineReport } from "../checks/results.js";

/** The check report as a plain object (`kvm-lab check --json` prints it). */
export function checkReportObject(lab: string, reports: MachineReport[]) {
  return { lab, passed: allPassed(reports), machines: reports.map((r) => ({ ...r, passed: machinePassed(r) })) };
}
