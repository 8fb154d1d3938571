// The in-guest check script (templates/guest-check.sh): one POSIX sh run per machine over one
// SSH session, printing `KVMLAB<TAB>id<TAB>pass|fail|skip<TAB>evidence` per check.
import path from "node:path";
import fs from "fs-extra";
import { TEMPLATES_DIR } from "../paths.js";

/** The script's text (templates/guest-check.sh, shipped with the package). */
export async function checkScript(): Promise<string> {
  return fs.readFile(path.join(TEMPLATES_DIR, "guest-check.sh"), "utf8");
}
