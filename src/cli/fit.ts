// The resource-fit step of `up` and `test` (before anything runs vagrant) and the summary
// `plan` shows; the checks themselves are in src/host/fit.ts.
import type { Lab } from "../config/types.js";
import { parseLibvirtUri } from "../config/libvirt-uri.js";
import { autostartMachines } from "../config/up-order.js";
import { checkLabFits, fitJson, formatFit, refusalOf, OVERRIDE_FLAG } from "../host/fit.js";
import { printWarnings, type Io } from "./context.js";

/** Refuses (throws) when the machines to bring up do not fit this host, unless overridden; prints the warnings. */
export async function ensureLabFits(io: Io, lab: Lab, labDir: string, machines: string[], allowOvercommit?: boolean): Promise<void> {
  const report = await checkLabFits(lab, { only: machines, labDir });
  const refusal = refusalOf(report, allowOvercommit);
  if (refusal) throw refusal;
  printWarnings(
    io,
    report.findings.map(({ level, path, message, fix }) =>
      level === "refuse" ? { path, message: `${message} (going ahead: ${OVERRIDE_FLAG})` } : { path, message, ...(fix ? { fix } : {}) },
    ),
  );
}

/**
 * The lab's needs against this host, for `plan`: lines for people and numbers for --json.
 * It counts the machines `kvm-lab up` starts without names, as `up` does (autostart: false
 * ones are named as not counted), so "kvm-lab up would refuse" is what `up` would do.
 */
export async function planFit(lab: Lab, labDir: string): Promise<{ lines: string[]; json: object }> {
  // A lab on several hosts: this machine carries only the machines of its local host (the others' hosts are judged by placement and by up's preflight of each host).
  const here = lab.hosts.length ? new Set(lab.machines.filter((m) => m.host && isLocalUri(m.host.uri)).map((m) => m.name)) : undefined;
  const started = autostartMachines(lab).filter((m) => !here || here.has(m));
  if (here && !started.length) {
    return { lines: ["  no machine runs on this machine's libvirt: each host's free memory is checked by kvm-lab up (the hosts table above shows what placement put where)"], json: { thisMachine: "runs none of the lab's machines", notCounted: lab.machines.map((m) => m.name) } };
  }
  const report = await checkLabFits(lab, { labDir, ...(started.length ? { only: started } : {}) });
  const left = started.length ? lab.machines.filter((m) => !started.includes(m.name) && (!here || here.has(m.name))).map((m) => m.name) : [];
  const elsewhere = here ? lab.machines.filter((m) => !here.has(m.name)).map((m) => m.name) : [];
  const note = [
    ...(left.length ? [`  not counted: ${left.join(", ")} (autostart: false; kvm-lab up ${left.join(" ")} counts ${left.length === 1 ? "it" : "them"})`] : []),
    ...(elsewhere.length ? [`  on other hosts, not counted here: ${elsewhere.join(", ")} (each host's free memory is checked by kvm-lab up)`] : []),
  ];
  const findings = report.findings.map((f) => `  ${f.level === "refuse" ? `kvm-lab up would refuse (${OVERRIDE_FLAG} overrides)` : "warning"}: ${f.path}: ${f.message}; ${f.fix}`);
  return { lines: [...formatFit(report), ...note, ...findings], json: { ...fitJson(report), notCounted: [...left, ...elsewhere] } };
}

/** Whether a host URI is this machine's libvirt. */
function isLocalUri(uri: string): boolean {
  const parsed = parseLibvirtUri(uri);
  return parsed.ok && parsed.uri.local;
}
