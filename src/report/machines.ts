// `kvm-lab status` and `kvm-lab ssh-config` for people and programs: each machine's state,
// and its SSH entry or why it has none. JSON carries typed values (booleans, numbers, null).
import { formatTable } from "../text/table.js";
import { RUNNING } from "../vagrant/status.js";
import { sshEntries, type NoSshEntry } from "../vagrant/ssh-config.js";

/** The status table: a row per machine ("unknown" where vagrant named no state). */
export function formatStatusTable(machines: string[], states: Map<string, string>): string {
  return formatTable(["machine", "state"], machines.map((m) => [m, states.get(m) ?? "unknown"]));
}

/** `status --json`: each machine's state (null where vagrant named none) and whether it runs. */
export function statusObject(lab: string, machines: string[], states: Map<string, string>) {
  return { lab, machines: machines.map((m) => ({ machine: m, state: states.get(m) ?? null, running: states.get(m) === RUNNING })) };
}

/** `ssh-config --json`: each machine's entry (null when it has none, with why and the fix). */
export function sshConfigObject(lab: string, file: string, machines: string[], text: string, missing: Map<string, NoSshEntry>) {
  const entries = new Map(sshEntries(text).map((e) => [e.host, e]));
  return {
    lab,
    file,
    complete: missing.size === 0,
    machines: machines.map((m) => {
      const entry = entries.get(m);
      const why = missing.get(m);
      return {
        machine: m,
        ssh: entry ? { hostName: entry.hostName, port: entry.port, user: entry.user, identityFiles: entry.identityFiles } : null,
        state: why?.state ?? null,
        error: why?.error ?? (entry ? null : "no SSH entry from vagrant ssh-config"),
        fix: why?.fix ?? null,
      };
    }),
  };
}

/** What `ssh-config` says on stderr for a machine without an entry. */
export function noSshEntryText(machine: string, why: NoSshEntry): string {
  return `${machine}: ${why.error}${why.fix ? `; ${why.fix}` : ""}`;
}
