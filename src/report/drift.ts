// `kvm-lab diff` (and the plan `kvm-lab up` prints before acting): per machine its state,
// what changed and what that needs, the commands that do it; machines no longer in the
// config; the Vagrantfile's state. As text for people and as typed JSON.
import type { Action, Change, LabDiff, MachineDiff } from "../drift/compare.js";
import type { DiskState } from "../render/write.js";

const VAGRANTFILE_TEXT: Record<DiskState, string> = {
  current: "matches the config",
  missing: "missing: up writes it",
  stale: "stale (rendered from an older config, nobody edited it): up rewrites it",
  edited: "edited by hand: up refuses to replace it; move the edits into the config, or run up --force (it keeps the old file as a backup)",
  foreign: "not written by kvm-lab: up refuses to replace it; move it into the config, or run up --force (it keeps the old file as a backup)",
};

const ACTION_TEXT: Record<Action, string> = {
  none: "nothing to do",
  up: "up",
  provision: "provision",
  reload: "reload",
  recreate: "re-create (destroy and up)",
};

const MARK: Record<Change["type"], string> = { added: "+", removed: "-", changed: "~", drift: "!" };

function changeLine(change: Change): string {
  const what = change.type === "added" ? change.to : change.type === "removed" ? change.from : `${change.from} -> ${change.to}`;
  const where = change.type === "drift" ? " (changed outside kvm-lab)" : "";
  return `  ${MARK[change.type]} ${change.key}: ${what}${where}  [${change.need === "recreate" ? "re-create" : change.need}]`;
}

/** What a machine's line says about it when nothing is listed below it. */
function stateNote(machine: MachineDiff): string {
  if (machine.action === "none" && !machine.recorded) return "not recorded by kvm-lab up (memory and vCPUs match; NICs and provisioning are not compared until up records it)";
  return "";
}

/** The machines' lines: the state, what to do, each change, the commands. */
export function machineLines(diff: LabDiff): string[] {
  const width = Math.max(...diff.machines.map((m) => m.name.length), 4);
  const lines: string[] = [];
  for (const machine of diff.machines) {
    const note = stateNote(machine);
    lines.push(`${machine.name.padEnd(width)}  ${machine.state.padEnd(11)}  ${ACTION_TEXT[machine.action]}${note ? `: ${note}` : ""}`);
    for (const change of machine.changes) lines.push(changeLine(change));
    if (machine.commands.length) lines.push(`  needs: ${machine.commands.join(" && ")}`);
  }
  return lines;
}

/** The strays' lines: each named, left alone, with the commands that remove it. */
export function strayLines(diff: LabDiff): string[] {
  if (!diff.strays.length) return [];
  const lines = ["not in the config any more, still there (kvm-lab up leaves them alone; remove them with the commands below):"];
  for (const stray of diff.strays) {
    lines.push(`  ${stray.name} (${stray.state}, ${stray.id})`);
    for (const command of stray.remove) lines.push(`    ${command}`);
  }
  return lines;
}

/** The whole diff as text. */
export function diffText(diff: LabDiff, shownVagrantfile: string): string {
  const waiting = diff.machines.filter((m) => m.action !== "none").length;
  const summary = diff.pending
    ? `lab ${diff.lab} (${diff.provider}): ${waiting} of ${diff.machines.length} machine${diff.machines.length === 1 ? "" : "s"} to change${diff.strays.length ? `, ${diff.strays.length} not in the config` : ""}`
    : `lab ${diff.lab} (${diff.provider}): nothing to do: ${diff.machines.length} machine${diff.machines.length === 1 ? "" : "s"} up and matching the config`;
  return [summary, `${shownVagrantfile}: ${VAGRANTFILE_TEXT[diff.vagrantfile.state]}`, ...machineLines(diff), ...strayLines(diff)].join("\n");
}

/** The diff as typed JSON: every key on every machine and change, null for "none". */
export function diffObject(diff: LabDiff, shownVagrantfile: string): object {
  return {
    lab: diff.lab,
    provider: diff.provider,
    pending: diff.pending,
    vagrantfile: { path: shownVagrantfile, state: diff.vagrantfile.state },
    machines: diff.machines.map((m) => ({
      name: m.name,
      state: m.state,
      recorded: m.recorded,
      action: m.action,
      provisionWith: m.provisionWith,
      commands: m.commands,
      changes: m.changes.map((c) => ({ key: c.key, kind: c.kind, type: c.type, from: c.from ?? null, to: c.to ?? null, need: c.need, source: c.source })),
    })),
    strays: diff.strays.map((s) => ({ name: s.name, id: s.id, state: s.state, remove: s.remove })),
  };
}
