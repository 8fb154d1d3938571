// How messages name a place in the config. A machine is named by its index and, when it
// has a usable name, by that name too: `machines[1] (compute1).nics[0].ip`, in errors and
// warnings alike, so a message points at the machine a reader knows by name.

/** A host label (RFC 1123): what a machine's name must be. */
export const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The path of machine `index`: `machines[1] (compute1)`, or `machines[1]` when its name is missing or unusable. */
export function machinePath(index: number, name: unknown): string {
  return typeof name === "string" && HOST_LABEL.test(name) ? `machines[${index}] (${name})` : `machines[${index}]`;
}

/** Whether `path` is `root` or lies inside it (`root.x`, `root[0]`, `root (name)...`). */
export function isWithin(path: string, root: string): boolean {
  if (!root) return false;
  if (root === "(config)") return true;
  return path === root || (path.startsWith(root) && /^[.[ ]/.test(path.slice(root.length)));
}
