// Runs the suite as two jest runs at once (scripts/test-runs/split.cjs): "vm", the files that
// boot VMs or start domains, and "rest", every other file; jest gives one worker on two cores,
// so one run would take the sum of both. The arguments given (a --config, file filters,
// -t NAME) go to both runs; a run they leave without files passes. The config's global setup
// runs once here before both runs and its teardown once after both ended (they start and
// stop the tests' libvirtd: one for both runs, alive until the slower ends). Both runs'
// output reaches stderr, each line led by its run's name; then one plain line on stdout, `N
// passed, N failed, N skipped` for both runs together, that CI reads. Exits non-zero when
// either run failed.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const JEST = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");
const SPLIT = path.join(ROOT, "scripts", "test-runs", "split.cjs");
const NO_GLOBAL_HOOK = path.join(ROOT, "scripts", "test-runs", "no-global-hook.cjs");
const { RUNS } = createRequire(import.meta.url)(SPLIT);
const NODE_ARGS = ["--experimental-vm-modules", JEST];

const args = process.argv.slice(2);
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), "kvm-lab-jest-"));

/** The config jest resolves from these arguments (`jest --showConfig`), or undefined when it cannot. */
function resolvedConfig() {
  const shown = spawnSync(process.execPath, [...NODE_ARGS, "--showConfig", ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  try {
    return shown.status === 0 ? JSON.parse(shown.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** A global setup or teardown module's function, loaded as jest loads it; throws when node cannot load it. */
async function loadGlobalHook(file) {
  const loaded = await import(pathToFileURL(file).href);
  const hook = typeof loaded.default === "function" ? loaded.default : loaded;
  if (typeof hook !== "function") throw new Error(`${file} exports no function`);
  return hook;
}

/** A readable stream's lines written to stderr, each led by `label`. */
function prefixLines(stream, label) {
  let partial = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop();
    if (lines.length) process.stderr.write(lines.map((line) => `${label}${line}\n`).join(""));
  });
  stream.on("end", () => {
    if (partial) process.stderr.write(`${label}${partial}\n`);
  });
}

/** Starts one run; resolves with its exit status (null: killed by a signal) and its time. */
function startRun(run, hookArgs, children) {
  const label = `${run.padEnd(Math.max(...RUNS.map((r) => r.length)))} | `;
  const color = process.stderr.isTTY && !("FORCE_COLOR" in process.env) ? { FORCE_COLOR: "1" } : {};
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [...NODE_ARGS, "--json", `--outputFile=${path.join(resultsDir, `${run}.json`)}`, "--passWithNoTests", `--filter=${SPLIT}`, ...hookArgs, ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...color, KVM_LAB_TEST_RUN: run } },
  );
  children.push(child);
  prefixLines(child.stdout, label);
  prefixLines(child.stderr, label);
  return new Promise((resolve) => {
    child.on("error", (error) => {
      process.stderr.write(`${label}cannot start jest: ${error.message}\n`);
      resolve({ run, status: 1, seconds: 0 });
    });
    child.on("close", (status) => resolve({ run, status, seconds: (Date.now() - started) / 1000 }));
  });
}

/** What a run's results file says, or undefined when jest wrote none. */
function readResults(run) {
  try {
    return JSON.parse(fs.readFileSync(path.join(resultsDir, `${run}.json`), "utf8"));
  } catch {
    return undefined;
  }
}

// A signal to this script (Ctrl-C reaches the runs by itself; a SIGTERM does not) is passed
// on to the runs, and the teardown still waits for both to end.
const children = [];
let interrupted;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    interrupted ??= signal;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

// 1. The config's global setup, once for both runs, when node can load it here (a setup in
//    TypeScript, say, is left to each run, as jest alone would do it). A setup that fails
//    stops the suite, as it stops jest.
const config = resolvedConfig();
const { globalSetup, globalTeardown } = config?.globalConfig ?? {};
let hookArgs = [];
let teardown;
let status = 0;
try {
  const setup = globalSetup ? await loadGlobalHook(globalSetup) : undefined;
  teardown = globalTeardown ? await loadGlobalHook(globalTeardown) : undefined;
  if (setup || teardown) hookArgs = [`--globalSetup=${NO_GLOBAL_HOOK}`, `--globalTeardown=${NO_GLOBAL_HOOK}`];
  try {
    await setup?.(config.globalConfig, config.configs[0]);
  } catch (error) {
    process.stderr.write(`global setup ${globalSetup} failed: ${error.stack ?? error}\n`);
    status = 1;
  }
} catch (error) {
  teardown = undefined;
  process.stderr.write(`the global setup and teardown are left to each jest run: ${error.message}\n`);
}

// 2. Both runs at once.
const runs = status || interrupted ? [] : await Promise.all(RUNS.map((run) => startRun(run, hookArgs, children)));

// 3. The teardown, once both ended.
if (teardown) {
  try {
    await teardown(config.globalConfig, config.configs[0]);
  } catch (error) {
    process.stderr.write(`global teardown ${globalTeardown} failed: ${error.stack ?? error}\n`);
    status ||= 1;
  }
}

// 4. One summary for both.
const totals = { passed: 0, failed: 0, skipped: 0 };
const missing = [];
for (const { run, status: runStatus, seconds } of runs) {
  const r = readResults(run);
  if (r) {
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    totals.skipped += r.numPendingTests;
  } else missing.push(run);
  process.stderr.write(`${run} run: ${r ? `${r.numTotalTestSuites} files, ` : ""}${seconds.toFixed(1)} s, exit ${runStatus ?? "by signal"}\n`);
  if (runStatus !== 0 || !r) status ||= runStatus || 1;
}
fs.rmSync(resultsDir, { recursive: true, force: true });
const note = !runs.length
  ? " (no jest run started)"
  : missing.length ? ` (jest wrote no results for the ${missing.join(" and ")} run${missing.length > 1 ? "s" : ""})` : "";
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${note}\n`);
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
process.exit(status || (interrupted ? SIGNAL_EXIT[interrupted] : 0));
