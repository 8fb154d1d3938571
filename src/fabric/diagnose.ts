// check --network across hosts: pairs whose two ends are on different hosts of a network
// that spans them go through its tunnel; when such a pair fails, its explanation gains the
// tunnel's name and what tunnelHealth found wrong with it (or that it looks whole), and the
// report a problem naming the tunnel, so "could not reach" says where the frames were lost.
import type { Lab } from "../config/types.js";
import type { NetworkReport, PairResult } from "../checks/network/run.js";
import { spansOf, type Span } from "./spans.js";
import type { TunnelHealth } from "./health.js";

/** The span a pair crosses between two hosts, when it does ("host" stands for the network's home, where its host side is). */
export function crossedSpan(lab: Lab, spans: Span[], result: PairResult): Span | undefined {
  const span = spans.find((s) => s.network.key === result.pair.network);
  if (!span) return undefined;
  const hostOf = (end: string) => (end === "host" ? span.home : lab.machines.find((m) => m.name === end)?.host?.name);
  const [from, to] = [hostOf(result.pair.from), hostOf(result.pair.to)];
  return from && to && from !== to ? span : undefined;
}

/** Whether the report has failed pairs across hosts (then the tunnels are worth a look). */
export function failsAcrossHosts(lab: Lab, report: NetworkReport): boolean {
  const spans = spansOf(lab);
  return report.pairs.some((r) => r.status === "fail" && crossedSpan(lab, spans, r) !== undefined);
}

/** The report with each failed cross-host pair's cause named after its tunnel. */
export function explainAcrossHosts(lab: Lab, report: NetworkReport, health: TunnelHealth[]): NetworkReport {
  const spans = spansOf(lab);
  const causeOf = new Map(
    health.map(({ span, problems }) => [
      span.device,
      `tunnel ${span.device} of ${span.network.mode} '${span.network.key}' between hosts ${span.hosts.join(", ")}: ${problems.length ? problems.join("; ") : "looks whole (devices up and on their bridges, flooding entries present, the hosts reach each other)"}`,
    ]),
  );
  const named = new Set<string>();
  const pairs = report.pairs.map((r) => {
    const span = r.status === "fail" ? crossedSpan(lab, spans, r) : undefined;
    const cause = span && causeOf.get(span.device);
    if (!cause) return r;
    named.add(cause);
    return { ...r, explanation: `${r.explanation}; across hosts, cause: ${cause}` };
  });
  return { ...report, pairs, problems: [...report.problems, ...[...named].map((problem) => ({ machine: "hosts", failing: true, problem }))] };
}
