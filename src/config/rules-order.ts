// Rules of the order machines come up in (`upAfter`, `autostart`, `primary`): every name is a machine
// of the lab (or a counted entry as written), no machine waits for itself, no cycle, and a
// wait for a machine `vagrant up` does not start is pointed out; one primary machine at most.
import type { Problem } from "../errors.js";
import { closest } from "./suggest.js";
import { entryPath } from "./rules-counts.js";
import { findCycle, machinesNamed, upAfterGraph } from "./up-order.js";
import type { Lab } from "./types.js";

/** Every upAfter rule over the lab, once per config entry. */
export function checkUpOrder(lab: Lab, errors: Problem[], warnings: Problem[]): void {
  const entries = lab.machines.filter((m) => m.entry.n === 1);
  const names = [...new Set([...lab.machines.map((m) => m.name), ...lab.machines.filter((m) => (m.entry.count ?? 0) > 1).map((m) => m.entry.name)])];
  for (const machine of entries) {
    const at = `${entryPath(machine.entry)}.upAfter`;
    const mine = lab.machines.filter((m) => m.entry.index === machine.entry.index).map((m) => m.name);
    machine.upAfter.forEach((name, i) => {
      const path = `${at}[${i}]`;
      const named = machinesNamed(lab, name);
      if (!named.length) {
        const guess = closest(name, names);
        errors.push({ path, message: `"${name}" is not a machine of this lab`, fix: guess ? `did you mean "${guess}"?` : `use one of: ${names.join(", ")}` });
        return;
      }
      if (named.some((m) => mine.includes(m.name))) {
        // The name is also another entry's machine: the name clash is the problem, reported by the name rule.
        if (named.some((m) => m.entry.index !== machine.entry.index)) return;
        errors.push({ path, message: `${mine.length > 1 ? "the entry's machines" : "a machine"} cannot wait for ${mine.length > 1 ? "each other" : "itself"}`, fix: `remove "${name}"` });
        return;
      }
      const manual = named.filter((m) => !m.autostart);
      if (manual.length && machine.autostart) {
        warnings.push({
          path,
          message: `${manual.map((m) => m.name).join(", ")} ${manual.length > 1 ? "have" : "has"} autostart: false, so \`kvm-lab up\` without machine names does not start ${manual.length > 1 ? "them" : "it"} and this machine does not wait`,
          fix: `name both to bring them up in order (kvm-lab up ${[...manual.map((m) => m.name), machine.name].join(" ")}), or remove autostart: false`,
        });
      }
    });
  }
  // Vagrant takes the first primary machine it finds (Vagrantfile#primary_machine_name): two would be a silent choice.
  const primaries = lab.machines.filter((m) => m.primary);
  if (primaries.length > 1) {
    const [first, second] = primaries;
    errors.push({
      path: `${second.entry.index === first.entry.index ? entryPath(second.entry) : second.path}.primary`,
      message: second.entry.index === first.entry.index ? `all ${second.entry.count} machines of this entry would be primary` : `${first.path} is already the primary machine`,
      fix: "mark one machine primary: true (the one `vagrant ssh` picks when none is named)",
    });
  }
  // A wait within one entry is reported above; a cycle through other entries here, once.
  const entryOf = new Map(lab.machines.map((m) => [m.name, m.entry.index]));
  const graph = new Map([...upAfterGraph(lab)].map(([name, before]) => [name, before.filter((b) => entryOf.get(b) !== entryOf.get(name))]));
  const cycle = findCycle(graph);
  if (cycle) {
    const first = lab.machines.find((m) => m.name === cycle[0])!;
    errors.push({
      path: `${entryPath(first.entry)}.upAfter`,
      message: `machines wait for each other in a cycle, so none can come up first: ${cycle.join(" waits for ")}`,
      fix: "remove one of these upAfter names",
    });
  }
}
