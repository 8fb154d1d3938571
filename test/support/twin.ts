// The VBoxManage twin for end-to-end tests: a twin home per test run, the environment that
// makes vagrant and kvm-lab use it, its call log, and its cleanup (inside the tests'
// namespace, where its bridges live). See test/support/vbox-twin/README.md.
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { ROOT, TWIN_BIN } from "./tools.js";

const TWIN_DIR = path.join(ROOT, "test", "support", "vbox-twin");

export type TwinVersion = "6.1" | "7.0" | "7.1";
export type TwinHost = "linux" | "darwin" | "windows";

export interface TwinCall {
  argv: string[];
  /** Set when the grammar or the twin refused the call: VirtualBox's first error line. */
  refused?: string;
}

export interface Twin {
  home: string;
  env: Record<string, string>;
  /** Every VBoxManage call so far, in order, with the refusals. */
  calls(): Promise<TwinCall[]>;
  /** Stops and removes all the twin made; returns what was still running. */
  cleanup(): Promise<string[]>;
}

/** A fresh twin playing `version` on `host`, its home under the system's temp folder. */
export async function makeTwin(netns: string, options: { version?: TwinVersion; host?: TwinHost; accel?: "kvm" | "tcg"; env?: Record<string, string> } = {}): Promise<Twin> {
  // Short: QEMU's monitor socket lives under it, and a socket path has at most 107 bytes.
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "kvmlab-twin-"));
  await fs.chmod(home, 0o755);
  const env = {
    PATH: `${TWIN_BIN}:${process.env.PATH}`,
    KVMLAB_TWIN_HOME: home,
    KVMLAB_TWIN_VBOX: options.version ?? "7.0",
    KVMLAB_TWIN_HOST: options.host ?? "linux",
    KVMLAB_TWIN_ACCEL: options.accel ?? "tcg",
    ...options.env,
  };
  return {
    home,
    env,
    calls: async () => parseCalls(await fs.readFile(path.join(home, "calls.log"), "utf8").catch(() => "")),
    cleanup: async () => {
      const result = await execa("ip", ["netns", "exec", netns, "node", path.join(TWIN_DIR, "cleanup.mjs"), home], { reject: false, all: true });
      const said = String(result.all ?? "").trim();
      return said ? said.replace(/^twin cleanup stopped: /, "").split(", ") : [];
    },
  };
}

function parseCalls(log: string): TwinCall[] {
  const calls: TwinCall[] = [];
  for (const line of log.split("\n")) {
    if (line.startsWith("[")) calls.push({ argv: JSON.parse(line) });
    else if (/^ {2}(rejected|failed)/.test(line) && calls.length) calls[calls.length - 1].refused = line.trim();
  }
  return calls;
}

/** Which of `calls` the VBoxManage of `version` on `host` would refuse, with its error text. */
export async function refusedBy(calls: string[][], version: TwinVersion, host: TwinHost): Promise<{ argv: string[]; error: string }[]> {
  const { stdout } = await execa("node", [path.join(TWIN_DIR, "check-grammar.mjs"), version, host], { input: calls.map((c) => JSON.stringify(c)).join("\n") });
  return stdout.trim() ? stdout.trim().split("\n").map((line) => JSON.parse(line)) : [];
}

/** The twin's own devices and namespaces still present in `netns` (its registered host-only interfaces aside). */
export async function twinLeftovers(netns: string): Promise<string[]> {
  const links = String((await execa("ip", ["netns", "exec", netns, "ip", "-o", "link", "show"])).stdout)
    .split("\n")
    .map((l) => l.split(":")[1]?.trim().split("@")[0])
    .filter((name): name is string => Boolean(name) && /^tw[a-z]-|^twt\d/.test(name));
  const namespaces = String((await execa("ip", ["netns", "list"])).stdout)
    .split("\n")
    .map((l) => l.split(" ")[0])
    .filter((n) => n.startsWith("kvmlab-tw"));
  const qemus = String((await execa("pgrep", ["-a", "qemu-system"], { reject: false })).stdout)
    .split("\n")
    .filter((l) => l.includes("kvmlab-twin-"));
  return [...links.map((l) => `link ${l}`), ...namespaces.map((n) => `netns ${n}`), ...qemus.map((q) => `qemu ${q.split(" ")[0]}`)];
}
