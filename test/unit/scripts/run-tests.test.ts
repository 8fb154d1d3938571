// scripts/run-tests.mjs, the `npm test` runner, on a project of its own (plain JavaScript test
// files in a temp folder, a jest config with a global setup and teardown that log): the VM
// files and the rest run in two jest runs at the same time (each test waits to see the other
// start); one summary line sums both; each output line is led by its run's name; the global
// setup runs once before both and the teardown once after both ended, a SIGTERM included;
// filters reach both runs and a run left without files passes; a failure in either run fails
// the whole. Then which of this repository's test files the runner counts as booting VMs.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import fs from "fs-extra";
import { ROOT, tempDir } from "../../support/tools.js";

const RUNNER = path.join(ROOT, "scripts", "run-tests.mjs");
const { bootsVms, runOf } = createRequire(import.meta.url)(path.join(ROOT, "scripts", "test-runs", "split.cjs"));

let dir: string;
let log: string;

/** A test file that logs its start, waits up to 30 s for `waitFor` to appear in the log, then logs its end. */
function rendezvousTest(name: string, waitFor: string, fail = false): string {
  return `const fs = require("node:fs");
const log = (line) => fs.appendFileSync(${JSON.stringify(log)}, line + " " + process.pid + " " + process.env.FIXTURE_SETUP + "\\n");
test(${JSON.stringify(name)}, async () => {
  log("start ${name}");
  for (let i = 0; i < 300 && !fs.readFileSync(${JSON.stringify(log)}, "utf8").includes("start ${waitFor}"); i++) await new Promise((r) => setTimeout(r, 100));
  log("end ${name}");
  console.error("said by ${name}");
  expect(fs.readFileSync(${JSON.stringify(log)}, "utf8")).toContain("start ${waitFor}");
  ${fail ? "expect(1).toBe(2);" : ""}
}, 40000);
test.skip("skipped in ${name}", () => {});
`;
}

beforeEach(async () => {
  dir = await tempDir("kvm-lab-run-tests-");
  log = path.join(dir, "log");
  await fs.writeFile(log, "");
  await fs.outputFile(
    path.join(dir, "jest.config.mjs"),
    `export default { rootDir: ${JSON.stringify(dir)}, testEnvironment: "node", transform: {}, testMatch: ["<rootDir>/test/**/*.test.js"], globalSetup: "<rootDir>/setup.mjs", globalTeardown: "<rootDir>/teardown.mjs" };\n`,
  );
  // The setup leaves a mark in the environment, as the tests' libvirtd setup leaves its state file: both runs must see it.
  await fs.outputFile(path.join(dir, "setup.mjs"), `import fs from "node:fs";\nexport default async function () { process.env.FIXTURE_SETUP = "set-" + process.pid; fs.appendFileSync(${JSON.stringify(log)}, "setup " + process.pid + "\\n"); }\n`);
  await fs.outputFile(path.join(dir, "teardown.mjs"), `import fs from "node:fs";\nexport default async function () { fs.appendFileSync(${JSON.stringify(log)}, "teardown " + process.pid + "\\n"); }\n`);
  await fs.outputFile(path.join(dir, "test", "e2e", "boots.test.js"), rendezvousTest("vm-file", "rest-file"));
  await fs.outputFile(path.join(dir, "test", "unit", "plain.test.js"), rendezvousTest("rest-file", "vm-file"));
});
afterEach(() => fs.remove(dir));

interface Ran {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** The runner, from the repository, on the fixture project; `env` added. */
function runTests(args: string[], env: Record<string, string> = {}, onStart?: (pid: number) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [RUNNER, "--config", path.join(dir, "jest.config.mjs"), ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "0", ...env } }, (_error, stdout, stderr) =>
      resolve({ exitCode: child.exitCode, stdout, stderr }),
    );
    onStart?.(child.pid!);
  });
}

const logLines = async () => (await fs.readFile(log, "utf8")).trim().split("\n");

test("the VM files and the rest run at the same time; one summary sums both; each line names its run; setup once before, teardown once after", async () => {
  const ran = await runTests([]);
  expect(ran.stdout).toBe("\n2 passed, 0 failed, 2 skipped\n");
  expect(ran.exitCode).toBe(0);
  expect(ran.stderr).toMatch(/^vm {3}\| +✓ vm-file/m);
  expect(ran.stderr).toMatch(/^rest \| +✓ rest-file/m);
  expect(ran.stderr).toMatch(/^vm {3}\| +said by vm-file$/m);
  expect(ran.stderr).toMatch(/^rest \| +said by rest-file$/m);
  expect(ran.stderr).toMatch(/^vm run: 1 files, [\d.]+ s, exit 0$/m);
  const lines = await logLines();
  const [setup, teardown] = [lines[0], lines[lines.length - 1]];
  expect(setup).toMatch(/^setup \d+$/);
  expect(teardown).toBe(setup.replace("setup", "teardown"));
  expect(lines.filter((l) => /^(setup|teardown)/.test(l))).toHaveLength(2);
  // Each run in a jest process of its own, both seeing what the one setup left.
  const runners = lines.filter((l) => l.startsWith("start")).map((l) => l.split(" ")[2]);
  expect(new Set(runners).size).toBe(2);
  for (const line of lines.slice(1, -1)) expect(line.endsWith(` set-${setup.split(" ")[1]}`)).toBe(true);
}, 90_000);

test("a failure in one run fails the whole, counted in the summary", async () => {
  await fs.outputFile(path.join(dir, "test", "unit", "plain.test.js"), rendezvousTest("rest-file", "vm-file", true));
  const ran = await runTests([]);
  expect(ran.stdout).toBe("\n1 passed, 1 failed, 2 skipped\n");
  expect(ran.exitCode).toBe(1);
  expect(ran.stderr).toMatch(/^rest run: 1 files, [\d.]+ s, exit 1$/m);
}, 90_000);

test("filters reach both runs; a run whose filter matches nothing passes", async () => {
  // Alone, the VM file waits for a rest file that never starts: give it none to wait for.
  await fs.outputFile(path.join(dir, "test", "e2e", "boots.test.js"), 'test("alone", () => {});\n');
  const ran = await runTests(["test/e2e"]);
  expect(ran.stdout).toBe("\n1 passed, 0 failed, 0 skipped\n");
  expect(ran.exitCode).toBe(0);
  expect(ran.stderr).toMatch(/^rest run: 0 files, [\d.]+ s, exit 0$/m);
  const none = await runTests(["no-such-file"]);
  expect(none).toMatchObject({ exitCode: 0, stdout: "\n0 passed, 0 failed, 0 skipped\n" });
  // -t reaches both runs too: the rest file's test, not named, is not run.
  const named = await runTests(["-t", "alone"]);
  expect(named).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^\n1 passed, 0 failed, \d+ skipped\n$/) });
  expect(await fs.readFile(log, "utf8")).not.toContain("start rest-file");
}, 90_000);

test("a SIGTERM stops both runs, and the teardown comes after both ended", async () => {
  for (const [file, name] of [["test/e2e/boots.test.js", "vm-file"], ["test/unit/plain.test.js", "rest-file"]]) {
    const slow = `test("${name}", async () => { require("node:fs").appendFileSync(${JSON.stringify(log)}, "start ${name} " + process.pid + "\\n"); await new Promise((r) => setTimeout(r, 30000)); }, 40000);\n`;
    await fs.outputFile(path.join(dir, file), slow);
  }
  let pid = 0;
  const done = runTests([], {}, (p) => (pid = p));
  for (let i = 0; i < 300 && (await logLines()).filter((l) => l.startsWith("start")).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  const jests = (await logLines()).filter((l) => l.startsWith("start")).map((l) => Number(l.split(" ")[2]));
  expect(jests).toHaveLength(2);
  process.kill(pid, "SIGTERM");
  const ran = await done;
  expect(ran.exitCode).not.toBe(0);
  expect((await logLines()).at(-1)).toMatch(/^teardown \d+$/);
  for (const jest of jests) expect(fs.existsSync(`/proc/${jest}`) && !/ Z /.test(fs.readFileSync(`/proc/${jest}/stat`, "utf8"))).toBe(false);
  expect(ran.stdout).toMatch(/^\n0 passed, 0 failed, 0 skipped/);
}, 90_000);

test("this repository's files that boot VMs or start domains are the vm run's; the rest are not", () => {
  for (const file of ["test/e2e/network.test.ts", "test/e2e/lab.test.ts", "test/e2e/boxes.test.ts", "test/e2e/virtualbox.test.ts", "test/cli/snapshot-libvirt.test.ts", "test/unit/drift/live-libvirt.test.ts"]) {
    expect([file, runOf(path.join(ROOT, file))]).toEqual([file, "vm"]);
  }
  // box-builds.test.ts builds boxes and boots plain QEMU only: it runs beside the VM files.
  for (const file of ["test/cli/render.test.ts", "test/golden.test.ts", "test/cli/validate-plan.test.ts", "test/unit/vbox-twin/twin.test.ts", "test/unit/scripts/run-tests.test.ts", "test/e2e/box-builds.test.ts"]) {
    expect([file, runOf(path.join(ROOT, file))]).toEqual([file, "rest"]);
  }
});

test("a file is the vm run's by its folder, its name or the helpers it uses", async () => {
  const file = (relative: string, text: string) => fs.outputFile(path.join(dir, relative), text).then(() => path.join(dir, relative));
  expect(bootsVms(await file("test/e2e/new-lab.test.ts", "test('x', () => {});"))).toBe(true);
  expect(bootsVms(await file("test/cli/second-host.test.ts", ""))).toBe(true);
  // The helpers' names put together here, so that this file itself stays in the rest run.
  const [second, tiny, inNetns, box] = ["startSecond" + "Host", "tiny" + "DomainXml", "kvmLab" + "InNetns", "buildTest" + "Box"];
  expect(bootsVms(await file("test/cli/a.test.ts", `import { ${second} } from "../support/hosts.js";`))).toBe(true);
  expect(bootsVms(await file("test/cli/b.test.ts", `const xml = ${tiny}(name, bios);`))).toBe(true);
  expect(bootsVms(await file("test/cli/c.test.ts", `await ${inNetns}(['up'], dir, 1000);`))).toBe(true);
  expect(bootsVms(await file("test/cli/d.test.ts", `// builds nothing: no ${box}es here\nrender(lab);`))).toBe(false);
  expect(bootsVms(await file("test/unit/e2e-words.test.ts", "expect(1).toBe(1);"))).toBe(false);
});

test("as jest's --filter: the files of the run KVM_LAB_TEST_RUN names; another value is refused", async () => {
  const filter = createRequire(import.meta.url)(path.join(ROOT, "scripts", "test-runs", "split.cjs"));
  const files = [path.join(ROOT, "test/e2e/lab.test.ts"), path.join(ROOT, "test/cli/render.test.ts")];
  const saved = process.env.KVM_LAB_TEST_RUN;
  try {
    process.env.KVM_LAB_TEST_RUN = "vm";
    expect((await filter(files)).filtered).toEqual([files[0]]);
    process.env.KVM_LAB_TEST_RUN = "rest";
    expect((await filter(files)).filtered).toEqual([files[1]]);
    process.env.KVM_LAB_TEST_RUN = "fast";
    await expect(filter(files)).rejects.toThrow("KVM_LAB_TEST_RUN=fast: not a run; use one of vm, rest");
  } finally {
    if (saved === undefined) delete process.env.KVM_LAB_TEST_RUN;
    else process.env.KVM_LAB_TEST_RUN = saved;
  }
});
