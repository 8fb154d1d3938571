// The commands that drive a lab's machines: check, test (and test --reuse), status,
// destroy, ssh-config (up: up.ts). CLI work only: options to calls, results to the terminal,
// files and exit codes; the work itself is in vagrant/ (machines, ssh-config), checks/ (the
// KVM and network checks), snapshots/ (the clean snapshot of test --reuse), drift/ (what up
// applied), report/ (every form of a report) and net/ (the --outside address).
import path from "node:path";
import fs from "fs-extra";
import type { CheckId } from "../../checks/ids.js";
import { checkLab } from "../../checks/lab.js";
import type { NetworkReport } from "../../checks/network/run.js";
import type { Lab } from "../../config/types.js";
import { autostartMachines } from "../../config/up-order.js";
import { InterruptedError, UsageError } from "../../errors.js";
import { watchInterrupts } from "../../interrupts.js";
import { explainAcrossHosts, failsAcrossHosts } from "../../fabric/diagnose.js";
import { tunnelHealth } from "../../fabric/health.js";
import { parseOutside, type OutsideStandIn } from "../../net/outside.js";
import { renderVagrantfile } from "../../render/vagrantfile.js";
import { writeVagrantfile } from "../../render/write.js";
import { findingsJunit, findingsObject, findingsPassed, findingsTable, type Findings } from "../../report/findings.js";
import { formatStatusTable, noSshEntryText, sshConfigObject, statusObject } from "../../report/machines.js";
import { stopRunningVagrant, vagrantVersion } from "../../vagrant/execute.js";
import { destroyLab, labDirs, upLab, type LabDirs } from "../../vagrant/lab.js";
import { recordApplied } from "../../drift/lab.js";
import { anyCreated, restoreLabSnapshot, saveLabSnapshot, snapshotFits, type LabSnapshots } from "../../snapshots/lab.js";
import { CLEAN_SNAPSHOT } from "../../snapshots/names.js";
import { labSshConfig, writeSshConfig } from "../../vagrant/ssh-config.js";
import { machineStates } from "../../vagrant/status.js";
import { loadForCommand, type Io, type LabArgs } from "../context.js";
import { ensureLabFits } from "../fit.js";
import { makeFabric, preflightForUp, removeFabricAfterDestroy } from "../hosts.js";
import { progressPrinter } from "../terminal.js";
import { labSnapshotsOf } from "./snapshot.js";

export interface MachineArgs extends LabArgs {
  machine?: string[];
  force?: boolean;
  /** Bring the lab up even when it does not fit the host (memory, vCPUs). */
  allowOvercommit?: boolean;
  json?: boolean;
}

export interface Loaded {
  lab: Lab;
  dirs: LabDirs;
  machines: string[];
  file: string;
}

/**
 * The lab and the machines a command acts on: the ones named, else `unnamed`: "all", or
 * "autostart" -- the machines `vagrant up` starts without names (up, check and test: an
 * autostart: false machine is brought up and checked only when named).
 */
export async function open(io: Io, args: MachineArgs, unnamed: "all" | "autostart" = "all"): Promise<Loaded> {
  const loaded = await loadForCommand(io, args);
  const known = loaded.lab.machines.map((m) => m.name);
  const machines = args.machine?.length ? args.machine : unnamed === "autostart" ? autostartMachines(loaded.lab) : known;
  const unknown = machines.filter((m) => !known.includes(m));
  if (unknown.length) throw new UsageError(`no machine ${unknown.join(", ")} in lab ${loaded.lab.name}`, { hint: `machines: ${known.join(", ")}` });
  if (!machines.length) throw new UsageError(`every machine of lab ${loaded.lab.name} has autostart: false`, { hint: `name the machines to act on: ${known.join(" ")}` });
  return { lab: loaded.lab, dirs: labDirs(path.dirname(loaded.file)), machines, file: loaded.file };
}

const sshConfigFile = (loaded: Loaded) => path.join(loaded.dirs.state, "ssh-config");

/** Writes the lab's Vagrantfile when the config changed (never over hand edits without --force), with the machines preflight put on TCG. */
export async function renderForUp(io: Io, loaded: Loaded, tcg: string[], force?: boolean): Promise<string> {
  const target = path.join(loaded.dirs.dir, "Vagrantfile");
  const text = renderVagrantfile(loaded.lab, { source: path.basename(loaded.file), tcg });
  const result = await writeVagrantfile(target, text, { force });
  if (result.outcome !== "unchanged") io.err(`${result.outcome === "created" ? "wrote" : "updated"} ${path.relative(io.cwd, target) || target}`);
  return text;
}

/** Host preflight, the Vagrantfile when the config changed, then `vagrant up` (every machine, as `test` needs) and the record of it; `onUp` marks when machines may exist. */
async function bringUp(io: Io, loaded: Loaded, force: boolean | undefined, onUp: () => void = () => undefined): Promise<void> {
  const tcg = await preflightForUp(io, loaded, loaded.machines);
  const text = await renderForUp(io, loaded, tcg, force);
  onUp();
  await makeFabric(io, loaded);
  await upLab(loaded.lab, loaded.dirs, { machines: loaded.machines, timeoutMs: loaded.lab.upTimeoutMinutes * 60_000, progress: progressPrinter(io, loaded.machines) });
  // What came up is recorded as `kvm-lab up` records it (src/drift/), so a later up or diff compares with it.
  await recordApplied(loaded.lab, { dir: loaded.dirs.dir, state: loaded.dirs.state, machines: loaded.machines, tcg, text }).catch((error: unknown) =>
    io.err(`warning: could not record what came up (.kvm-lab/applied.json): ${(error as Error).message}`),
  );
}

function runChecks(loaded: Loaded, only?: CheckId[]) {
  return checkLab({
    dir: loaded.dirs.dir,
    file: sshConfigFile(loaded),
    machines: loaded.machines,
    provider: loaded.lab.provider,
    required: loaded.lab.requiredChecks,
    timeoutMs: loaded.lab.checkTimeoutSeconds * 1000,
    only,
  });
}

export interface CheckArgs extends MachineArgs {
  junit?: string;
  /** Run only these checks; the exit code then speaks for them alone. */
  only?: CheckId[];
}

/** Prints the findings (table or JSON), writes the JUnit file when asked; the exit code. */
async function report(io: Io, lab: Lab, found: Findings, args: CheckArgs): Promise<number> {
  if (args.junit) {
    const file = path.resolve(io.cwd, args.junit);
    await fs.outputFile(file, findingsJunit(lab.name, found));
    io.err(`JUnit report: ${path.relative(io.cwd, file) || file}`);
  }
  io.out(args.json ? JSON.stringify(findingsObject(lab.name, found), null, 2) : findingsTable(found));
  return findingsPassed(found) ? 0 : 1;
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
  const loaded = await open(io, args, "autostart");
  if (args.network) return report(io, loaded.lab, { network: await runNetwork(loaded, outside) }, args);
  return report(io, loaded.lab, { checks: await runChecks(loaded, args.only) }, args);
}

/** `--outside`, which only the network check takes. */
function outsideOf(text: string | undefined, network: boolean | undefined): OutsideStandIn | undefined {
  if (text === undefined) return undefined;
  if (!network) throw new UsageError("--outside is the stand-in for the network check", { hint: "add --network, or leave out --outside" });
  return parseOutside(text);
}

async function runNetwork(loaded: Loaded, outside: OutsideStandIn | undefined): Promise<NetworkReport> {
  const ssh = await labSshConfig({ dir: loaded.dirs.dir, file: sshConfigFile(loaded), machines: loaded.machines, provider: loaded.lab.provider });
  const { runNetworkChecks } = await import("../../checks/network/run.js");
  // The machines up starts (autostart): an autostart: false machine left down is not probed.
  const lab = { ...loaded.lab, machines: loaded.lab.machines.filter((m) => loaded.machines.includes(m.name)) };
  const report = await runNetworkChecks({ lab, sshConfig: ssh.file, outside, timeoutMs: loaded.lab.checkTimeoutSeconds * 1000 });
  // Pairs across hosts that failed: the tunnel they cross, and what is wrong with it, named.
  if (!failsAcrossHosts(lab, report)) return report;
  return explainAcrossHosts(lab, report, await tunnelHealth(lab));
}

export async function statusCommand(io: Io, args: MachineArgs): Promise<number> {
  const loaded = await open(io, args);
  await vagrantVersion({ cwd: loaded.dirs.dir });
  const states = await machineStates(loaded.dirs.dir);
  io.out(args.json ? JSON.stringify(statusObject(loaded.lab.name, loaded.machines, states), null, 2) : formatStatusTable(loaded.machines, states));
  return 0;
}

export async function destroyCommand(io: Io, args: MachineArgs): Promise<number> {
  const loaded = await open(io, args);
  await vagrantVersion({ cwd: loaded.dirs.dir });
  await destroyLab(loaded.dirs, args.machine?.length ? loaded.machines : []);
  // The whole lab gone: so is what spanned its hosts (networks, tunnels), on every host.
  if (!args.machine?.length) await removeFabricAfterDestroy(io, loaded);
  io.out(`destroyed: ${loaded.machines.join(", ")}`);
  return 0;
}

/** Prints the machines' SSH config (or, with --json, each entry typed); exit 4 when a machine has none. */
export async function sshConfigCommand(io: Io, args: MachineArgs): Promise<number> {
  const loaded = await open(io, args);
  await vagrantVersion({ cwd: loaded.dirs.dir });
  const ssh = await writeSshConfig(loaded.machines, sshConfigFile(loaded), { cwd: loaded.dirs.dir });
  const text = await fs.readFile(ssh.file, "utf8");
  if (args.json) io.out(JSON.stringify(sshConfigObject(loaded.lab.name, ssh.file, loaded.machines, text, ssh.missing), null, 2));
  else if (text.trim()) io.out(text.trimEnd());
  for (const [machine, why] of ssh.missing) io.err(noSshEntryText(machine, why));
  return ssh.missing.size ? 4 : 0;
}

/**
 * render, up, check, destroy: what a CI job runs. What it brought up is destroyed even when
 * a step fails or the run is interrupted (Ctrl-C: exit 130), unless --keep. With --reuse
 * (fast re-runs): restore the clean snapshot instead of up when the machines hold it and the
 * config did not change since; else destroy what exists, up and save the clean snapshot;
 * then check, and keep the lab either way (a failed run too: it is meant to run again).
 */
export async function testCommand(io: Io, args: CheckArgs & NetworkArgs & { keep?: boolean; reuse?: boolean }): Promise<number> {
  const outside = outsideOf(args.outside, args.network);
  const loaded = await open(io, args, "autostart");
  const keep = args.keep || args.reuse;
  const ctx = args.reuse ? labSnapshotsOf(loaded.lab, loaded.file) : undefined;
  // 1. --reuse: does the clean snapshot stand in for destroy + up?
  const fit = ctx ? await cleanSnapshotFits(ctx, loaded.machines) : undefined;
  if (fit && !fit.fits) io.err(`--reuse: ${fit.reason}: bringing the lab up afresh, then saving the "${CLEAN_SNAPSHOT}" snapshot`);
  if (!fit?.fits && !loaded.lab.hosts.length) await ensureLabFits(io, loaded.lab, loaded.dirs.dir, loaded.machines, args.allowOvercommit);
  let upStarted = false;
  const cleanup = async () => {
    if (!upStarted) return;
    if (keep) {
      if (args.reuse && interrupts.signal) io.err("--reuse: the lab is kept (kvm-lab destroy removes it)");
      return;
    }
    io.err("destroying the lab's machines");
    const destroyed = await destroyLab(loaded.dirs, []).then(
      () => true,
      (error: unknown) => (io.err(`destroy failed: ${(error as Error).message}`), false),
    );
    if (destroyed) await removeFabricAfterDestroy(io, loaded).catch((error: unknown) => io.err(`${(error as Error).message}`));
  };
  const interrupts = watchInterrupts((signal) => {
    io.err(`${signal}: stopping; ${keep ? "the lab is kept" : "the lab will be destroyed"}`);
    stopRunningVagrant();
  });
  try {
    if (fit?.fits && ctx) {
      // 2a. The clean snapshot: every machine back to it at once, running, without a boot.
      upStarted = true;
      const start = performance.now();
      // What spans the hosts first (idempotent), so the restored machines find their tunnels.
      await makeFabric(io, loaded);
      const restored = await restoreLabSnapshot(ctx, CLEAN_SNAPSHOT);
      io.err(`--reuse: restored the "${CLEAN_SNAPSHOT}" snapshot of ${restored.machines.join(", ")} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
    } else {
      // 2b. Afresh: what exists destroyed (its snapshots with it), up, the clean snapshot saved.
      if (ctx && (await anyCreated(ctx))) {
        upStarted = true;
        io.err("--reuse: destroying the lab's machines first");
        await destroyLab(loaded.dirs, []);
        interrupts.throwIfInterrupted("kvm-lab test");
      }
      await bringUp(io, loaded, args.force, () => (upStarted = true));
      interrupts.throwIfInterrupted("kvm-lab test");
      if (ctx) {
        const { entry } = await saveLabSnapshot(ctx, CLEAN_SNAPSHOT, { force: true });
        io.err(`--reuse: saved the "${CLEAN_SNAPSHOT}" snapshot of ${entry.machines.join(", ")}; the next test --reuse restores it`);
      }
    }
    interrupts.throwIfInterrupted("kvm-lab test");
    const checks = await runChecks(loaded);
    interrupts.throwIfInterrupted("kvm-lab test");
    const network = args.network ? await runNetwork(loaded, outside) : undefined;
    interrupts.throwIfInterrupted("kvm-lab test");
    const code = await report(io, loaded.lab, { checks, ...(network ? { network } : {}) }, args);
    if (args.reuse && code !== 0) io.err("--reuse: the lab is kept for the next run (kvm-lab destroy removes it)");
    return code;
  } catch (error) {
    if (args.reuse && upStarted && !interrupts.signal) io.err("--reuse: the lab is kept as it is (kvm-lab destroy removes it)");
    if (interrupts.signal && !(error instanceof InterruptedError)) {
      throw new InterruptedError(`kvm-lab test interrupted (${interrupts.signal})`, { cause: error });
    }
    throw error;
  } finally {
    await cleanup();
    interrupts.dispose();
  }
}

/** --reuse: whether the clean snapshot can stand in for destroy + up (snapshots/lab.ts snapshotFits), or why not. */
async function cleanSnapshotFits(ctx: LabSnapshots, machines: string[]): Promise<{ fits: true } | { fits: false; reason: string }> {
  if (!(await anyCreated(ctx))) return { fits: false, reason: "first run (no machine created yet)" };
  return snapshotFits(ctx, CLEAN_SNAPSHOT, machines);
}
