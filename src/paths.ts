// Where the package's own files are, from dist/ or src/ alike.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: package.json, templates/, boxes/. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, "templates");
