// The one process runner: how a process ended (exit, missing, timed out), a timeout that ends
// a whole process group, and Ctrl-C stopping every process still running.
import fs from "fs-extra";
import { runProcess, startProcess, stopRunningProcesses } from "../../../src/process/run.js";
import { sshCommand } from "../../../src/process/ssh.js";

/** Running (a zombie left for an init that does not reap counts as ended). */
const alive = (pid: number) => {
  if (!fs.existsSync(`/proc/${pid}/stat`)) return false;
  return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
};

test("exit codes, output and a missing executable come back as a result, never a throw", async () => {
  const ok = await runProcess("sh", ["-c", "echo out; echo err >&2; exit 3"]);
  expect(ok).toMatchObject({ stdout: "out", stderr: "err", exitCode: 3, failed: true, timedOut: false, notFound: false });
  const missing = await runProcess("/nonexistent/tool", []);
  expect(missing).toMatchObject({ notFound: true, failed: true });
  const lines: string[] = [];
  await runProcess("sh", ["-c", "printf 'a\\nb\\n'; echo c >&2"], { onLine: (l) => lines.push(l), linesOf: "all" });
  expect(lines.sort()).toEqual(["a", "b", "c"]);
});

test("a timeout ends the process and, with a group of its own, everything it started", async () => {
  const started = Date.now();
  const result = await runProcess("sh", ["-c", "sleep 30 & echo $!; wait"], { timeoutMs: 500, graceMs: 1000, group: true });
  expect(result.timedOut).toBe(true);
  expect(Date.now() - started).toBeLessThan(5000);
  const grandchild = Number(result.stdout.trim());
  await new Promise((r) => setTimeout(r, 200));
  expect(alive(grandchild)).toBe(false);
});

test("stopRunningProcesses ends every process still running", async () => {
  const a = startProcess("sleep", ["30"], { group: true });
  const b = startProcess("sleep", ["30"]);
  stopRunningProcesses();
  const [ra, rb] = await Promise.all([a.result, b.result]);
  expect(ra.signal).toBe("SIGTERM");
  expect(rb.signal).toBe("SIGTERM");
});

test("one ssh command line for every guest session", () => {
  expect(sshCommand({ sshConfig: "/lab/.kvm-lab/ssh-config", machine: "node1", remote: "sh -s" })).toEqual([
    "ssh",
    ["-F", "/lab/.kvm-lab/ssh-config", "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=10", "node1", "sh -s"],
  ]);
});
