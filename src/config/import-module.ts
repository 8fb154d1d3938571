// Imports a TypeScript or JavaScript module's default export at run time (lab configs, box
// recipes). jiti transpiles in-process on Node 20 with no global loader hook, and lets the
// module `import ... from "kvm-lab"` resolve to this very package even where it is not
// installed beside the file.
import path from "node:path";
import { fileURLToPath } from "node:url";
import fs from "fs-extra";
import { createJiti } from "jiti";

/** Where `import { defineLab } from "kvm-lab"` resolves inside a config or recipe. */
function selfEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const js = path.join(here, "..", "index.js");
  return fs.existsSync(js) ? js : path.join(here, "..", "index.ts");
}

export async function importDefault(file: string): Promise<unknown> {
  const jiti = createJiti(import.meta.url, {
    alias: { "kvm-lab": selfEntry() },
    moduleCache: false,
    fsCache: false,
    interopDefault: true,
  });
  return jiti.import(file, { default: true });
}
