// Project names: one name serves the npm package and the lab (it prefixes the provider's
// network names), so it must satisfy both.

const PROJECT_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const MAX_PROJECT_NAME = 40;
/** npm will not install a package into a project of the same name. */
const RESERVED = new Set(["kvm-lab", "create-kvm-lab"]);

/** Why `name` cannot name a project, or undefined when it can. */
export function projectNameProblem(name: string): string | undefined {
  if (!name) return "is empty";
  if (name.length > MAX_PROJECT_NAME) return `"${name}" is longer than ${MAX_PROJECT_NAME} characters`;
  if (!PROJECT_NAME.test(name)) return `"${name}" is not a valid project name`;
  if (RESERVED.has(name)) return `"${name}" is the name of kvm-lab's own package, which the project depends on`;
  return undefined;
}

/** The nearest valid name: lower case, accents dropped, other runs of characters made hyphens. */
export function suggestProjectName(raw: string): string {
  const ascii = raw.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const hyphenated = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const cut = hyphenated.slice(0, MAX_PROJECT_NAME).replace(/-+$/, "");
  if (!cut) return "my-kvm-lab";
  return RESERVED.has(cut) ? `my-${cut}` : cut;
}

export const PROJECT_NAME_RULE = `lower-case letters, digits and hyphens, at most ${MAX_PROJECT_NAME} characters, not starting or ending with a hyphen`;
