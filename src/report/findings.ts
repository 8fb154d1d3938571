// What a check run found (the KVM checks, the network matrix, or both for `test --network`)
// in each form: the verdict, the table for people, JSON for programs, JUnit XML for CI.
import { allPassed, type MachineReport } from "../checks/results.js";
import type { NetworkReport } from "../checks/network/run.js";
import { checkReportObject } from "./json.js";
import { checkSuitesJunit, junitDocument } from "./junit.js";
import { formatNetworkTable, networkReportObject, networkSuiteJunit } from "./network.js";
import { formatCheckTable } from "./table.js";

export interface Findings {
  checks?: MachineReport[];
  network?: NetworkReport;
}

/** Whether everything that ran passed. */
export function findingsPassed(found: Findings): boolean {
  return (!found.checks || allPassed(found.checks)) && (!found.network || found.network.passed);
}

/** For people: the check table, then the network table. */
export function findingsTable(found: Findings): string {
  return [found.checks && formatCheckTable(found.checks), found.network && formatNetworkTable(found.network)].filter(Boolean).join("\n\n");
}

/** For programs: the check report or the network report, or `{checks, network}` when both ran. */
export function findingsObject(lab: string, found: Findings) {
  const checks = found.checks && checkReportObject(lab, found.checks);
  const network = found.network && networkReportObject(found.network);
  return checks && network ? { checks, network } : (checks ?? network);
}

/** For CI: one JUnit document, a suite per machine and one for the network. */
export function findingsJunit(lab: string, found: Findings): string {
  return junitDocument(lab, [...(found.checks ? checkSuitesJunit(lab, found.checks) : []), ...(found.network ? [networkSuiteJunit(found.network)] : [])]);
}
