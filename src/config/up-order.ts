// The order machines come up in: `upAfter` names machines (or a counted entry as written,
// `compute{n}`, for all of its machines) that must be up first. The lab comes up in waves:
// a wave's machines wait only for earlier waves, so libvirt starts each wave in parallel
// and VirtualBox starts the machines one by one in wave order.
import type { Lab, Machine } from "./types.js";

/** The machines a name in `upAfter` stands for: the machine of that name, or every machine of the entry written so. */
export function machinesNamed(lab: Lab, name: string): Machine[] {
  const byName = lab.machines.filter((m) => m.name === name);
  if (byName.length) return byName;
  return lab.machines.filter((m) => (m.entry.count ?? 0) >= 1 && m.entry.name === name);
}

/** Each machine's machines-before, by name (names that stand for nothing are left out: the rules report them). */
export function upAfterGraph(lab: Lab): Map<string, string[]> {
  return new Map(lab.machines.map((m) => [m.name, [...new Set(m.upAfter.flatMap((name) => machinesNamed(lab, name).map((d) => d.name)))]]));
}

/** A cycle of waiting in the graph, as the names along it back to the first (`a, b, a`), or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): string[] | undefined => {
    const at = trail.indexOf(name);
    if (at >= 0) return [...trail.slice(at), name];
    if (done.has(name)) return undefined;
    for (const next of graph.get(name) ?? []) {
      const cycle = visit(next, [...trail, name]);
      if (cycle) return cycle;
    }
    done.add(name);
    return undefined;
  };
  for (const name of graph.keys()) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The machines `vagrant up` starts when none is named: all but those with autostart: false. */
export function autostartMachines(lab: Lab): string[] {
  return lab.machines.filter((m) => m.autostart).map((m) => m.name);
}

/**
 * The waves that bring `selected` up, in config order within a wave. Only selected machines
 * come up: waiting for one that is not selected is dropped (it is up already, or not wanted
 * now). A cycle (refused by the rules) ends in one last wave.
 */
export function upWaves(lab: Lab, selected: string[]): string[][] {
  const graph = upAfterGraph(lab);
  const wanted = lab.machines.map((m) => m.name).filter((name) => selected.includes(name));
  const waves: string[][] = [];
  const up = new Set<string>();
  let left = wanted;
  while (left.length) {
    const ready = left.filter((name) => (graph.get(name) ?? []).every((before) => up.has(before) || !wanted.includes(before)));
    const wave = ready.length ? ready : left;
    waves.push(wave);
    for (const name of wave) up.add(name);
    left = left.filter((name) => !up.has(name));
  }
  return waves;
}
