// The check report for people: one table per lab, then each failure's cause and fix.
import { formatTable } from "../text/table.js";
import { machinePassed, type MachineReport } from "../checks/results.js";

export function formatCheckTable(reports: MachineReport[]): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const report of reports) {
    if (!report.reachable) {
      rows.push([report.machine, "(reach)", "FAIL", report.error ?? "unreachable", ""]);
      continue;
    }
    for (const check of report.checks) {
      const status = check.status === "pass" ? "ok" : check.status === "skip" ? "skip" : "FAIL";
      rows.push([report.machine, check.id, status, check.evidence, check.required ? "required" : ""]);
      if (check.status === "fail") notes.push(`${report.machine} ${check.id}: ${check.cause}\n  fix: ${check.fix}`);
    }
  }
  const verdicts = reports.map((r) => `${r.machine} ${machinePassed(r) ? "passed" : "FAILED"} (${r.seconds.toFixed(1)} s)`);
  return [formatTable(["machine", "check", "result", "evidence", ""], rows), ...(notes.length ? ["", ...notes] : []), "", verdicts.join(", ")].join("\n");
}
