// The check report for people: one table per lab, then each failure's cause and fix (a
// required check that was skipped is one: it fails its machine), then the verdicts.
import { formatTable } from "../text/table.js";
import { checkFails, machinePassed, type MachineReport } from "../checks/results.js";

/** The result column: what happened, and whether it fails the machine. */
function resultText(status: string, fails: boolean): string {
  if (status === "pass") return "ok";
  if (status === "fail") return "FAIL";
  return fails ? "SKIP (required: FAIL)" : "skip";
}

/** The table `kvm-lab check` prints, with the notes under it. */
export function formatCheckTable(reports: MachineReport[]): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const report of reports) {
    if (!report.reachable) {
      rows.push([report.machine, "(reach)", "FAIL", report.error ?? "unreachable", ""]);
      if (report.fix) notes.push(`${report.machine}: ${report.error ?? "unreachable"}\n  fix: ${report.fix}`);
      continue;
    }
    for (const check of report.checks) {
      rows.push([report.machine, check.id, resultText(check.status, checkFails(check)), check.evidence, check.required ? "required" : ""]);
      if (check.cause && (check.status === "fail" || checkFails(check))) notes.push(`${report.machine} ${check.id}: ${check.cause}\n  fix: ${check.fix}`);
    }
  }
  const verdicts = reports.map((r) => `${r.machine} ${machinePassed(r) ? "passed" : "FAILED"} (${r.seconds.toFixed(1)} s)`);
  return [formatTable(["machine", "check", "result", "evidence", ""], rows), ...(notes.length ? ["", ...notes] : []), "", verdicts.join(", ")].join("\n");
}
