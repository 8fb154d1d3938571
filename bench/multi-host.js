// `kvm-lab up` on one host and on two (bench/multi-host.bench.ts), run through jest, which
// compiles the TypeScript second-host harness (test/support/hosts.ts) the benchmark shares
// with the end-to-end test; prints its BENCH lines. BENCH_MULTIHOST=0 skips it (it boots
// 10 machines one after another batch: about 20 minutes under QEMU software emulation).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function benchMultiHost() {
  if (process.env.BENCH_MULTIHOST === "0" || process.env.BENCH_CHECKS === "0") return console.log("multi-host up: skipped (BENCH_MULTIHOST=0 or BENCH_CHECKS=0)");
  if (process.getuid?.() !== 0) return console.log("multi-host up: skipped (needs root)");
  const run = spawnSync(
    process.execPath,
    ["--experimental-vm-modules", "node_modules/jest/bin/jest.js", "--rootDir", ROOT, "--roots", "<rootDir>/bench", "--testMatch", "**/bench/multi-host.bench.ts", "--silent=false", "--verbose=false"],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const lines = `${run.stdout}\n${run.stderr}`.split("\n").filter((l) => l.startsWith("BENCH ")).map((l) => l.slice(6));
  if (lines.length) console.log(lines.join("\n"));
  if (run.status !== 0) console.log(`multi-host up: failed (jest exit ${run.status}):\n${run.stderr.split("\n").slice(-30).join("\n")}`);
}
