// The commands that drive a lab's machines: up, check, test, status, destroy, ssh-config.
import path from "node:path";
import fs from "fs-extra";
import { allPassed, type MachineReport } from "../../checks/results.js";
import type { CheckId } from "../../checks/ids.js";
import { runGuestChecks } from "../../checks/run.js";
import type { Lab } from "../../config/types.js";
import { InterruptedError, UsageError } from "../../errors.js";
import { watchInterrupts } from "../../interrupts.js";
import { preflightHost } from "../../host/preflight.js";
import { renderVagrantfile } from "../../render/vagrantfile.js";
import { writeVagrantfile } from "../../render/write.js";
import { checkReportObject } from "../../report/json.js";
import { checkSuitesJunit, junitDocument } from "../../report/junit.js";
import { formatNetworkTable, networkReportObject, networkSuiteJunit } from "../../report/network.js";
import type { NetworkReport } from "../../checks/network/run.js";
import { formatCheckTable } from "../../report/table.js";
import { stopRunningVagrant, vagrantVersion } from "../../vagrant/execute.js";
import { destroyLab, labDirs, machineStates, upLab, type LabDirs } from "../../vagrant/lab.js";
import { cachedSshConfig, writeSshConfig, type SshConfig } from "../../vagrant/ssh-config.js";
import { formatTable } from "../../text/table.js";
import { parseIpv4 } from "../../net/ipv4.js";
import { loadForCommand, printWarnings, type Io, type LabArgs } from "../context.js";

export interface MachineArgs extends LabArgs {
  machine?: string[];
  force?: boolean;
}

interface Loaded {
  lab: Lab;
  dirs: LabDirs;
  machines: string[];
  file: string;
}

async function open(io: Io, args: MachineArgs): Promise<Loaded> {
  const loaded = await loadForCommand(io, args);
  const known = loaded.lab.machines.map((m) => m.name);
  const machines = args.machine?.length ? args.machine : known;
  const unknown = machines.filter((m) => !known.includes(m));
  if (unknown.length) throw new UsageError(`no machine ${unknown.join(", ")} in lab ${loaded.lab.name}`, { hint: `machines: ${known.join(", ")}` });
  return { lab: loaded.lab, dirs: labDirs(path.dirname(loaded.file)), machines, file: loaded.file };
}

/** Writes the lab's Vagrantfile when the config changed (never over hand edits without --force). */
async function renderForUp(io: Io, loaded: Loaded, tcg: string[], force?: boolean): Promise<void> {
  const target = path.join(loaded.dirs.dir, "Vagrantfile");
  const result = await writeVagrantfile(target, renderVagrantfile(loaded.lab, { source: path.basename(loaded.file), tcg }), { force });
  if (result.outcome !== "unchanged") io.err(`${result.outcome === "created" ? "wrote" : "updated"} ${path.relative(io.cwd, target) || target}`);
}

/** Per-machine progress: a live line per machine on a terminal, plain lines otherwise. */
function progressPrinter(io: Io, machines: string[]): (machine: string, message: string) => void {
  const live = Boolean(io.isTTY);
  const last = new Map(machines.map((m) => [m, "waiting"]));
  const width = Math.max(...machines.map((m) => m.length));
  let drawn = false;
  return (machine, message) => {
    if (last.get(machine) === message) return;
    last.set(machine, message);
    if (!live) return io.err(`${machine}: ${message}`);
    const cut = (text: string) => text.slice(0, Math.max(20, (io.columns ?? 100) - width - 3));
    const block = machines.map((m) => `${m.padEnd(width)}  ${cut(last.get(m) ?? "")}`).join("\n");
    io.write?.(`${drawn ? `\x1b[${machines.length}A` : ""}\x1b[J${block}\n`);
    drawn = true;
  };
}

/** Host preflight, the Vagrantfile when the config changed, then `vagrant up`; `onUp` marks when machines may exist. */
async function bringUp(io: Io, loaded: Loaded, force: boolean | undefined, onUp: () => void = () => undefined): Promise<void> {
  const host = await preflightHost(loaded.lab, { cwd: loaded.dirs.dir });
  io.err(`host: vagrant ${host.vagrant}, ${host.provider}, KVM ${host.kvmRunsGuests ? "runs guests" : `cannot run guests (${host.kvmEvidence})`}`);
  printWarnings(io, host.warnings);
  await renderForUp(io, loaded, host.tcg, force);
  onUp();
  await upLab(loaded.lab, loaded.dirs, { machines: loaded.machines, timeoutMs: loaded.lab.upTimeoutMinutes * 60_000, progress: progressPrinter(io, loaded.machines) });
}

export async function upCommand(io: Io, args: MachineArgs): Promise<number> {
  const loaded = await open(io, args);
  await bringUp(io, loaded, args.force);
  io.out(`up: ${loaded.machines.join(", ")}`);
  return 0;
}

/** The lab's SSH config: .kvm-lab/ssh-config while it is current, else read from vagrant afresh. */
async function sshConfigOf(loaded: Loaded, options: { fresh?: boolean } = {}): Promise<{ ssh: SshConfig; cached: boolean }> {
  const file = path.join(loaded.dirs.state, "ssh-config");
  const cached = options.fresh ? undefined : await cachedSshConfig(loaded.dirs.dir, file, loaded.machines, loaded.lab.provider);
  if (cached) return { ssh: cached, cached: true };
  await vagrantVersion({ cwd: loaded.dirs.dir });
  return { ssh: await writeSshConfig(loaded.machines, file, { cwd: loaded.dirs.dir }), cached: false };
}

async function runChecks(io: Io, loaded: Loaded, only?: CheckId[]): Promise<MachineReport[]> {
  const first = await sshConfigOf(loaded);
  const { cached } = first;
  let { ssh } = first;
  const check = (machines: string[]) =>
    runGuestChecks({ sshConfig: ssh.file, machines, required: loaded.lab.requiredChecks, timeoutMs: loaded.lab.checkTimeoutSeconds * 1000, only });
  const byName = new Map((await check(loaded.machines.filter((m) => ssh.hosts.includes(m)))).map((r) => [r.machine, r]));
  // A cached entry may be stale (a new address after a reboot): read vagrant ssh-config afresh, once.
  const failed = [...byName.values()].filter((r) => !r.reachable && r.error?.startsWith("ssh failed")).map((r) => r.machine);
  if (cached && failed.length) {
    ({ ssh } = await sshConfigOf(loaded, { fresh: true }));
    for (const report of await check(failed.filter((m) => ssh.hosts.includes(m)))) byName.set(report.machine, report);
  }
  return loaded.machines.map(
    (m) => byName.get(m) ?? { machine: m, reachable: false, seconds: 0, checks: [], error: ssh.missing.get(m) ?? "no SSH entry from vagrant ssh-config" },
  );
}

export interface CheckArgs extends MachineArgs {
  json?: boolean;
  junit?: string;
  /** Run only these checks; the exit code then speaks for them alone. */
  only?: CheckId[];
}

/** What a check run found: the KVM checks, the network matrix, or both (kvm-lab test --network). */
interface Findings {
  checks?: MachineReport[];
  network?: NetworkReport;
}

async function report(io: Io, lab: Lab, found: Findings, args: CheckArgs): Promise<number> {
  if (args.junit) {
    const file = path.resolve(io.cwd, args.junit);
    const suites = [...(found.checks ? checkSuitesJunit(lab.name, found.checks) : []), ...(found.network ? [networkSuiteJunit(found.network)] : [])];
    await fs.outputFile(file, junitDocument(lab.name, suites));
    io.err(`JUnit report: ${path.relative(io.cwd, file) || file}`);
  }
  if (args.json) {
    const checks = found.checks && checkReportObject(lab.name, found.checks);
    const network = found.network && networkReportObject(found.network);
    io.out(JSON.stringify(checks && network ? { checks, network } : (checks ?? network), null, 2));
  } else {
    io.out([found.checks && formatCheckTable(found.checks), found.network && formatNetworkTable(found.network)].filter(Boolean).join("\n\n"));
  }
  const passed = (!found.checks || allPassed(found.checks)) && (!found.network || found.network.passed);
  return passed ? 0 : 1;
}

export interface NetworkArgs {
  /** Prove the network matrix live (check: instead of the KVM checks; test: after them). */
  network?: boolean;
  outside?: string;
}

export async function checkCommand(io: Io, args: CheckArgs & NetworkArgs): Promise<number> {
  if (args.network) {
    if (args.machine?.length) throw new UsageError("check --network covers the whole lab", { hint: "leave out the machine names" });
    if (args.only?.length) throw new UsageError("--only selects KVM checks, not network pairs", { hint: "leave out --only with --network" });
  }
  const outside = outsideOf(args.outside, args.network);
  const loaded = await open(io, args);
  if (args.network) return report(io, loaded.lab, { network: await runNetwork(loaded, outside) }, args);
  return report(io, loaded.lab, { checks: await runChecks(io, loaded, args.only) }, args);
}

/** `--outside 203.0.113.2` or `203.0.113.2:8080`: the stand-in beyond the NATs. */
function outsideOf(text: string | undefined, network: boolean | undefined): { address: string; port?: number } | undefined {
  if (text === undefined) return undefined;
  if (!network) throw new UsageError("--outside is the stand-in for the network check", { hint: "add --network, or leave out --outside" });
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || parseIpv4(match[1]) === undefined || (port !== undefined && (port < 1 || port > 65535))) {
    throw new UsageError(`--outside: "${text}" is not ADDRESS or ADDRESS:PORT`, { hint: "name an IPv4 address you control beyond the lab's NATs, e.g. --outside 203.0.113.2:8080" });
  }
  return { address: match[1], ...(port ? { port } : {}) };
}

async function runNetwork(loaded: Loaded, outside: { address: string; port?: number } | undefined): Promise<NetworkReport> {
  const { ssh } = await sshConfigOf(loaded);
  const { runNetworkChecks } = await import("../../checks/network/run.js");
  return runNetworkChecks({ lab: loaded.lab, sshConfig: ssh.file, outside, timeoutMs: loaded.lab.checkTimeoutSeconds * 1000 });
}

export async function statusCommand(io: Io, args: MachineArgs): Promise<number> {
  const loaded = await open(io, args);
  await vagrantVersion({ cwd: loaded.dirs.dir });
  const states = await machineStates(loaded.dirs);
  io.out(formatTable(["machine", "state"], loaded.machines.map((m) => [m, states.get(m) ?? "unknown"])));
  return 0;
}

export async function destroyCommand(io: Io, args: MachineArgs): Promise<number> {
  const loaded = await open(io, args);
  await vagrantVersion({ cwd: loaded.dirs.dir });
  await destroyLab(loaded.dirs, args.machine?.length ? loaded.machines : []);
  io.out(`destroyed: ${loaded.machines.join(", ")}`);
  return 0;
}

export async function sshConfigCommand(io: Io, args: MachineArgs): Promise<number> {
  const loaded = await open(io, args);
  await vagrantVersion({ cwd: loaded.dirs.dir });
  const ssh = await writeSshConfig(loaded.machines, path.join(loaded.dirs.state, "ssh-config"), { cwd: loaded.dirs.dir });
  io.out((await fs.readFile(ssh.file, "utf8")).trimEnd());
  for (const [machine, why] of ssh.missing) io.err(`${machine}: ${why}`);
  return ssh.missing.size ? 4 : 0;
}

/**
 * render, up, check, destroy: what a CI job runs. What it brought up is destroyed even when
 * a step fails or the run is interrupted (Ctrl-C: exit 130), unless --keep.
 */
export async function testCommand(io: Io, args: CheckArgs & NetworkArgs & { keep?: boolean }): Promise<number> {
  const outside = outsideOf(args.outside, args.network);
  const loaded = await open(io, args);
  let upStarted = false;
  const cleanup = async () => {
    if (!upStarted || args.keep) return;
    io.err("destroying the lab's machines");
    await destroyLab(loaded.dirs, []).catch((error: unknown) => io.err(`destroy failed: ${(error as Error).message}`));
  };
  const interrupts = watchInterrupts((signal) => {
    io.err(`${signal}: stopping; the lab will be destroyed`);
    stopRunningVagrant();
  });
  try {
    await bringUp(io, loaded, args.force, () => (upStarted = true));
    interrupts.throwIfInterrupted("kvm-lab test");
    const checks = await runChecks(io, loaded);
    interrupts.throwIfInterrupted("kvm-lab test");
    const network = args.network ? await runNetwork(loaded, outside) : undefined;
    interrupts.throwIfInterrupted("kvm-lab test");
    return await report(io, loaded.lab, { checks, ...(network ? { network } : {}) }, args);
  } catch (error) {
    if (interrupts.signal && !(error instanceof InterruptedError)) {
      throw new InterruptedError(`kvm-lab test interrupted (${interrupts.signal})`, { cause: error });
    }
    throw error;
  } finally {
    await cleanup();
    interrupts.dispose();
  }
}
