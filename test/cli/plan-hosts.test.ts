// `kvm-lab plan` of a lab on several libvirt hosts, through the built CLI: the hosts table
// (host, URI, machines, memory and vCPUs used of offered), each machine's host (placed or
// pinned), `plan --json`'s hosts and machine hosts, a lab that does not fit refused with the
// numbers (exit 2), and a lab without hosts printing nothing new.
import path from "node:path";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { ROOT, tempDir } from "../support/tools.js";

const CONFIG = {
  name: "multi",
  provider: "libvirt",
  box: "debian/bookworm64",
  hosts: {
    here: { uri: "qemu:///system", cpus: 4, memory: 8192 },
    there: { uri: "qemu+ssh://root@198.51.100.2/system?no_verify=1", cpus: 8, memory: 16384, address: "198.51.100.2", lanMtu: 9000 },
  },
  networks: { lan: { mode: "intnet", cidr: "10.10.0.0/24" } },
  machines: [
    { name: "web", memory: 4096, nics: [{ network: "lan", ip: "10.10.0.10" }] },
    { name: "store", host: "there", memory: 2048 },
    { name: "node{n}", count: 3, memory: 2048, cpus: 1 },
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-plan-hosts-");
});
afterEach(() => fs.remove(dir));

async function planOf(config: object, args: string[] = []) {
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), config);
  return kvmLab(["plan", ...args], { cwd: dir });
}

test("plan: the hosts table with each host's machines and load, and each machine's host in its heading", async () => {
  const result = await planOf(CONFIG);
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  const lines = result.stdout.split("\n");
  expect(lines).toContainEqual("hosts: 2; machines placed by memory, then vCPUs, each on the first host with room (1 named by the config: pinned)");
  expect(lines).toContainEqual(expect.stringMatching(/^host +URI +machines +memory MiB used\/offered +vCPUs used\/offered$/));
  // web (4096) first, then node1..3 (2048, 1 vCPU) first fit: here fills up with web, node1, node2; store is pinned to there.
  expect(lines).toContainEqual(expect.stringMatching(/^here +qemu:\/\/\/system +web, node1, node2 +8192\/8192 +4\/4$/));
  expect(lines).toContainEqual(expect.stringMatching(/^there +qemu\+ssh:\/\/root@198\.51\.100\.2\/system\?no_verify=1 +store, node3 +4096\/16384 +3\/8$/));
  expect(lines).toContain("web on here (placed)");
  expect(lines).toContain("store on there (pinned)");
  expect(lines).toContain("node3 on there (placed)");
  // The adapter tables are as before.
  expect(lines).toContainEqual(expect.stringMatching(/^2 +intnet +lan +multi-lan +10\.10\.0\.10 +auto/));
});

test("plan --json: hosts with typed numbers (address null when unset) and each machine's host", async () => {
  const result = await planOf(CONFIG, ["--json"]);
  expect(result.exitCode).toBe(0);
  const plan = JSON.parse(result.stdout);
  expect(Object.keys(plan)).toEqual(["lab", "provider", "hosts", "spans", "machines", "resources"]);
  // lan has machines on one host only: it spans nothing.
  expect(plan.spans).toEqual([]);
  expect(plan.hosts).toEqual([
    { name: "here", uri: "qemu:///system", address: null, lanMtu: 1500, machines: ["web", "node1", "node2"], memory: { used: 8192, offered: 8192 }, cpus: { used: 4, offered: 4 } },
    {
      name: "there",
      uri: "qemu+ssh://root@198.51.100.2/system?no_verify=1",
      address: "198.51.100.2",
      lanMtu: 9000,
      machines: ["store", "node3"],
      memory: { used: 4096, offered: 16384 },
      cpus: { used: 3, offered: 8 },
    },
  ]);
  expect(plan.machines.map((m: { machine: string; host: unknown }) => [m.machine, m.host])).toEqual([
    ["web", { name: "here", uri: "qemu:///system", placed: true }],
    ["store", { name: "there", uri: "qemu+ssh://root@198.51.100.2/system?no_verify=1", placed: false }],
    ["node1", { name: "here", uri: "qemu:///system", placed: true }],
    ["node2", { name: "here", uri: "qemu:///system", placed: true }],
    ["node3", { name: "there", uri: "qemu+ssh://root@198.51.100.2/system?no_verify=1", placed: true }],
  ]);
});

test("plan of a lab that does not fit: exit 2, every problem with its numbers, nothing on stdout", async () => {
  const config = { ...CONFIG, machines: [...CONFIG.machines, { name: "huge", memory: 32768, cpus: 4 }, { name: "lost", host: "thre" }] };
  const result = await planOf(config);
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain(
    "machines[3] (huge).host: no host has room for it: it needs 32768 MiB and 4 vCPUs; free: here 8192 MiB/4 vCPUs, there 14336 MiB/6 vCPUs (no host offers that much even empty)",
  );
  expect(result.stderr).toContain('machines[4] (lost).host: "thre" is not a host of this lab; did you mean "there"?');
});

test("plan of a lab without hosts: no hosts table, headings and JSON as before", async () => {
  const example = path.join(ROOT, "examples", "nested-lab");
  const text = await kvmLab(["plan", "--provider", "libvirt"], { cwd: example });
  expect(text.exitCode).toBe(0);
  expect(text.stdout).not.toMatch(/^hosts:/m);
  expect(text.stdout.split("\n")).toContain("controller");
  const json = JSON.parse((await kvmLab(["plan", "--json"], { cwd: example })).stdout);
  expect(Object.keys(json)).toEqual(["lab", "provider", "machines", "resources"]);
  expect(json.machines.every((m: object) => !("host" in m))).toBe(true);
});

test("the hosts table fits 120 columns when piped: a long machine list wraps under its column", async () => {
  const config = {
    ...CONFIG,
    hosts: { here: { uri: "qemu:///system", cpus: 64, memory: 65536 } },
    machines: [{ name: "worker-node-{n}", count: 30, memory: 512, cpus: 1 }],
  };
  const result = await planOf(config);
  expect(result.exitCode).toBe(0);
  const lines = result.stdout.split("\n");
  const start = lines.findIndex((line) => line.startsWith("host "));
  const table = lines.slice(start, lines.indexOf("", start));
  expect(table.filter((line) => line.length > 120)).toEqual([]);
  expect(table.length).toBeGreaterThan(3);
  expect(table.join(" ")).toContain("worker-node-30");
});

test("up refuses to move a recorded machine to another host, before anything is written or run (exit 2)", async () => {
  const config = { ...CONFIG, machines: [{ name: "store", host: "here", memory: 2048 }] };
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), config);
  // The record of an up that put store on "there" (what .kvm-lab/applied.json keeps of it).
  const text = `host there (${CONFIG.hosts.there.uri})`;
  await fs.outputJson(path.join(dir, ".kvm-lab", "applied.json"), {
    version: 1,
    lab: "multi",
    machines: { store: { appliedAt: "2026-12-01T00:00:00.000Z", provider: "libvirt", id: "gone", vagrantfile: "sha256:x", tcg: true, facets: { host: { kind: "host", text, hash: "x" } }, live: { memoryMiB: 2048, cpus: 1, nics: [] } } },
  });
  const up = await kvmLab(["up"], { cwd: dir });
  expect(up.exitCode).toBe(2);
  expect(up.stderr).toContain(`machines[0] (store): would move from ${text} to host here (qemu:///system)`);
  expect(up.stderr).toContain('pin it where it runs (host: "there")');
  expect(up.stderr).toContain("kvm-lab does not move machines between hosts");
  expect(await fs.pathExists(path.join(dir, "Vagrantfile"))).toBe(false);
});

test("plan of a lab whose networks span hosts: each such network, its hosts, tunnel, MTU and home (text and --json)", async () => {
  const spread = { ...CONFIG, machines: [{ name: "web", memory: 4096, nics: [{ network: "lan", ip: "10.10.0.10" }] }, { name: "store", host: "there", memory: 2048, nics: [{ network: "lan", ip: "10.10.0.11" }] }] };
  const text = await planOf(spread);
  expect(text.stdout).toMatch(/networks spanning hosts .*\n  lan \(intnet\): here \+ there; kvx-[0-9a-f]{8}, VNI \d+, MTU 1450\n/);
  const json = JSON.parse((await planOf(spread, ["--json"])).stdout);
  expect(json.spans).toEqual([expect.objectContaining({ network: "lan", mode: "intnet", hosts: ["here", "there"], home: "here", mtu: 1450 })]);
});
