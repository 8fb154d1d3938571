// Imports a TypeScript or JavaScript module's default export at run time (lab configs, box
// recipes). jiti transpiles in-process on Node 20 with no global loader hook, and lets the
// module `import ... from "kvm-lab"` resolve to this very package even where it is not
// installed beside the file.
import path from "node:path";
import { fileURLToPath } from "node:url";
import fs from "fs-extra";
import { createJiti } from "jiti";

/** Where `import { defineLab } from "kvm-lab"` resolves inside a config or recipe. */
export function selfEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const js = path.join(here, "..", "index.js");
  return fs.existsSync(js) ? js : path.join(here, "..", "index.ts");
}

function loader(interopDefault: boolean, parent = import.meta.url) {
  return createJiti(parent, {
    alias: { "kvm-lab": selfEntry() },
    // A config is read afresh on every load (edits between loads in one process count)...
    moduleCache: false,
    // ...but its transpiled form is kept on disk (jiti/ in the temp folder, a file per source
    // path that counts only while it ends with the source's hash; skipped where that folder is
    // not writable): a TypeScript config, and kvm-lab's own entry it imports, skip Babel on
    // every later run (a CLI call on a small lab: 570 ms -> 430 ms).
    fsCache: true,
    interopDefault,
  });
}

/** A module's default export (or the module itself when it has none): box recipes. */
export async function importDefault(file: string): Promise<unknown> {
  return loader(true).import(file, { default: true });
}

/**
 * A module's namespace, exactly: `default` is there only when the module has a default
 * export (a CommonJS module's `module.exports` counts), so a config without one can be named.
 * `file` may be a specifier, resolved from `parent` (a file path or URL).
 */
export async function importNamespace(file: string, parent?: string): Promise<Record<string, unknown>> {
  return (await loader(false, parent).import(file)) as Record<string, unknown>;
}
