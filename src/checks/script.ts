// The in-guest check script (templates/guest-check.sh): one POSIX sh run per machine over one
// SSH session, printing `KVMLAB<TAB>id<TAB>pass|fail|skip<TAB>evidence` per check.
import path from "node:path";
import fs from "fs-extra";
import { TEMPLATES_DIR } from "../paths.js";

/** The script's text (templates/guest-check.sh, shipped with the package). */
export async function checkScript(): Promise<string> {
  return fs.readFile(path.join(TEMPLATES_DIR, "guest-check.sh"), "utf8");
}

/**
 * The script's KVM API probe alone (the shell function `kvm_api_probe` and its perl), for the
 * hosts of a lab: the same few bytes of guest code run through /dev/kvm there.
 */
export async function kvmApiProbeFunction(): Promise<string> {
  const script = await checkScript();
  const start = script.indexOf("kvm_api_probe() {\n");
  const perlEnd = script.indexOf("\nPERL\n", start);
  const end = script.indexOf("\n}\n", perlEnd);
  if (start < 0 || perlEnd < 0 || end < 0) throw new Error("templates/guest-check.sh: kvm_api_probe not found");
  return script.slice(start, end + 3);
}
