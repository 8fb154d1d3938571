// kvm-lab's own version, from its package.json (the one beside dist/ and src/).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const PACKAGE_VERSION: string = (require("../package.json") as { version: string }).version;
