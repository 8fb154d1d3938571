// Runs jest with the arguments given, then closes with one plain line, `N passed, N failed,
// N skipped`, that CI reads, and exits with jest's exit code.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kvm-lab-jest-")), "results.json");
const jest = spawnSync(
  process.execPath,
  ["--experimental-vm-modules", "node_modules/jest/bin/jest.js", "--json", `--outputFile=${results}`, ...process.argv.slice(2)],
  { stdio: ["ignore", "ignore", "inherit"] },
);
let summary = "0 passed, 0 failed, 0 skipped (jest wrote no results)";
if (fs.existsSync(results)) {
  const r = JSON.parse(fs.readFileSync(results, "utf8"));
  summary = `${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed, ${r.numPendingTests} skipped`;
}
fs.rmSync(path.dirname(results), { recursive: true, force: true });
process.stdout.write(`\n${summary}\n`);
process.exit(jest.status ?? 1);
