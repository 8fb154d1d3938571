// kvm-lab check --network: the expected matrix (src/net/matrix.ts), proven live. Every
// guest reports its addresses and starts a listener; then each guest probes the pairs it is
// the source of (ICMP and TCP), the host probes its own, and each pair's outcome is set
// against what the mode promises. Probes go only to the lab's own addresses and to the
// outside stand-in the caller names.
import type { Lab } from "../../config/types.js";
import { contains, formatIpv4, overlaps, parseIpv4, type Cidr } from "../../net/ipv4.js";
import { LIBVIRT_DEFAULT_NETWORK } from "../../net/provider-addresses.js";
import { expectedMatrix, networkLabel, type ExpectedPair } from "../../net/matrix.js";
import { GuestSession, probeProgram, type GuestAddress, type Probe, type ProbeOutcome } from "./guest-session.js";
import { hostAddresses, listenOnHost, probeFromHost } from "./host-probes.js";

/** The TCP port the guests and the host listen on while probed. */
export const PROBE_PORT = 47474;

export interface NetworkCheckOptions {
  lab: Lab;
  sshConfig: string;
  /** The outside stand-in: an address (and a port listening there) beyond the lab's NATs. */
  outside?: { address: string; port?: number };
  port?: number;
  timeoutMs: number;
  /** The ssh binary (tests may inject faults); default ssh. */
  ssh?: string;
}

export type PairStatus = "pass" | "fail" | "skip";

export interface PairResult {
  pair: ExpectedPair;
  /** The address probed, once known. */
  address?: string;
  icmp?: ProbeOutcome;
  tcp?: ProbeOutcome;
  reached?: boolean;
  status: PairStatus;
  /** Failures: in the mode's terms; skips: why; passes: the evidence. */
  explanation: string;
}

export interface GuestProblem {
  machine: string;
  problem: string;
  /** Whether it fails the check (a guest not probed, a virbr0 clash) or only informs. */
  failing: boolean;
}

export interface NetworkReport {
  lab: string;
  provider: string;
  passed: boolean;
  seconds: number;
  pairs: PairResult[];
  problems: GuestProblem[];
}


/** Runs the live matrix over every machine of the lab (they must be up). */
export async function runNetworkChecks(options: NetworkCheckOptions): Promise<NetworkReport> {
  const started = Date.now();
  const deadline = started + options.timeoutMs; // for the guests to report and listen
  const { lab } = options;
  const port = options.port ?? PROBE_PORT;
  const program = await probeProgram();
  const pairs = expectedMatrix(lab);
  const problems: GuestProblem[] = [];

  // 1. A session per guest: addresses, then the listener.
  const sessions = new Map(lab.machines.map((m) => [m.name, GuestSession.open(m.name, { sshConfig: options.sshConfig, ssh: options.ssh, program, port })]));
  const down = new Map<string, string>();
  await Promise.all(
    [...sessions].map(async ([machine, session]) => {
      try {
        await session.ready(deadline);
        if (session.listenError) problems.push({ machine, failing: false, problem: `its TCP listener did not start (${session.listenError}); TCP probes to it are skipped` });
      } catch (error) {
        down.set(machine, (error as Error).message);
      }
    }),
  );
  for (const [machine, why] of down) problems.push({ machine, failing: true, problem: `not probed: ${why}` });
  problems.push(...virbr0Clashes(lab, sessions));

  try {
    // 2. What each pair probes, now that DHCP addresses are known.
    const planned = pairs.map((pair) => planProbes(pair, { lab, sessions, down, options, port }));
    const hostTargets = planned.flatMap((p) => (p.pair.target.kind === "host" && p.address ? [p.address] : []));
    const listeners = await listenOnHost(hostTargets, port);
    try {
      const finalPlans = planned.map((p) => (p.pair.target.kind === "host" && p.address && !listeners.listening.has(p.address) ? dropTcp(p) : p));
      // 3. Probe: every guest and the host at once.
      const bySource = new Map<string, Probe[]>();
      for (const plan of finalPlans) for (const probe of plan.probes) bySource.set(plan.pair.from, [...(bySource.get(plan.pair.from) ?? []), probe]);
      const outcomes = new Map<string, ProbeOutcome>();
      // A fresh budget for probing: a guest that hung before READY must not use up the others'.
      const probeDeadline = Date.now() + options.timeoutMs;
      await Promise.all([
        ...[...sessions].map(async ([machine, session]) => {
          if (down.has(machine)) return;
          try {
            for (const [id, outcome] of await session.probe(bySource.get(machine) ?? [], probeDeadline)) outcomes.set(id, outcome);
          } catch (error) {
            problems.push({ machine, failing: true, problem: `probing stopped: ${(error as Error).message}` });
          }
        }),
        probeFromHost(bySource.get("host") ?? []).then((results) => results.forEach((outcome, id) => outcomes.set(id, outcome))),
      ]);
      // 4. Judge each pair.
      const results = finalPlans.map((plan) => judge(plan, outcomes));
      return {
        lab: lab.name,
        provider: lab.provider,
        passed: results.every((r) => r.status !== "fail") && problems.every((p) => !p.failing),
        seconds: (Date.now() - started) / 1000,
        pairs: results,
        problems,
      };
    } finally {
      await listeners.close();
    }
  } finally {
    await Promise.all([...sessions].map(([machine, s]) => s.close({ now: down.has(machine) })));
  }
}

interface PlannedPair {
  pair: ExpectedPair;
  address?: string;
  probes: Probe[];
  /** Why it cannot be probed, when it cannot. */
  skip?: string;
}

interface PlanContext {
  lab: Lab;
  sessions: Map<string, GuestSession>;
  down: Map<string, string>;
  options: NetworkCheckOptions;
  port: number;
}

function planProbes(pair: ExpectedPair, ctx: PlanContext): PlannedPair {
  const skip = (why: string): PlannedPair => ({ pair, probes: [], skip: why });
  if (pair.from !== "host" && ctx.down.has(pair.from)) return skip(`${pair.from} could not be reached over SSH`);
  const { target } = pair;
  let address: string | undefined;
  let tcpPort: number | undefined;
  if (target.kind === "machine") {
    if (ctx.down.has(target.machine)) return skip(`${target.machine} could not be reached over SSH`);
    address = target.address ?? guestAddressOn(ctx, target.machine, target.network);
    if (!address) return skip(`${target.machine} has no address on ${target.network}`);
    if (ctx.sessions.get(target.machine)?.listening) tcpPort = ctx.port;
  } else if (target.kind === "host") {
    address = target.address ?? (target.device ? hostAddresses().get(target.device)?.[0] : undefined);
    if (!address) return skip(`the host has no address on ${target.device ?? target.network} here`);
    tcpPort = ctx.port;
  } else {
    if (!ctx.options.outside) return skip("no outside stand-in given (--outside ADDRESS[:PORT])");
    address = ctx.options.outside.address;
    tcpPort = ctx.options.outside.port;
  }
  let iface: string | undefined;
  if (pair.kind === "vm-outside") {
    iface = pair.via === "nic1" ? firstAdapterIface(ctx, pair.from) : guestIfaceOn(ctx, pair.from, pair.via!);
    if (!iface) return skip(`${pair.from} has no interface with an address on ${pair.via}`);
  }
  const id = (kind: string) => `${pairKey(pair)}:${kind}`;
  const probes: Probe[] = [{ id: id("icmp"), kind: "icmp", address, ...(iface ? { iface } : {}) }];
  if (tcpPort) probes.push({ id: id("tcp"), kind: "tcp", address, port: tcpPort, ...(iface ? { iface } : {}) });
  return { pair, address, probes };
}

function dropTcp(plan: PlannedPair): PlannedPair {
  return { ...plan, probes: plan.probes.filter((p) => p.kind !== "tcp") };
}

/** A probe id without spaces: the pair's id, made safe for the line protocol. */
function pairKey(pair: ExpectedPair): string {
  return pair.id.replace(/[^A-Za-z0-9._@>-]+/g, "_");
}

function blockOf(ctx: PlanContext, networkKey: string): Cidr | undefined {
  for (const machine of ctx.lab.machines) for (const nic of machine.nics) if (nic.network.key === networkKey) return nic.network.cidr;
  return undefined;
}

/** The guest's address (and its interface) inside `block`, as the guest reported it. */
function guestAddressIn(ctx: PlanContext, machine: string, block: Cidr | undefined): GuestAddress | undefined {
  if (!block) return undefined;
  return ctx.sessions.get(machine)?.addresses.find((a) => contains(block, parseIpv4(a.address) ?? -1));
}

function guestAddressOn(ctx: PlanContext, machine: string, networkKey: string): string | undefined {
  return guestAddressIn(ctx, machine, blockOf(ctx, networkKey))?.address;
}

function guestIfaceOn(ctx: PlanContext, machine: string, networkKey: string): string | undefined {
  const nic = ctx.lab.machines.find((m) => m.name === machine)?.nics.find((n) => n.network.key === networkKey);
  const byIp = nic?.ip ? ctx.sessions.get(machine)?.addresses.find((a) => a.address === nic.ip) : undefined;
  return (byIp ?? guestAddressIn(ctx, machine, blockOf(ctx, networkKey)))?.iface;
}

function firstAdapterIface(ctx: PlanContext, machine: string): string | undefined {
  // Adapter 1: vagrant-libvirt's management network, or VirtualBox's NAT where virtualbox.natCidr put it.
  const block = ctx.lab.provider === "libvirt" ? ctx.lab.managementNetwork : ctx.lab.natCidr;
  return guestAddressIn(ctx, machine, block)?.iface;
}

function judge(plan: PlannedPair, outcomes: Map<string, ProbeOutcome>): PairResult {
  const { pair } = plan;
  if (plan.skip) return { pair, status: "skip", explanation: plan.skip };
  let icmp = outcomes.get(plan.probes[0].id);
  let tcp = plan.probes[1] ? outcomes.get(plan.probes[1].id) : undefined;
  const base = { pair, address: plan.address, ...(icmp ? { icmp } : {}), ...(tcp ? { tcp } : {}) };
  if (!icmp || (plan.probes[1] && !tcp)) return { ...base, status: "fail", explanation: `${pair.from} did not report every probe's result` };
  // A probe that could not be made (ping missing) leaves the verdict to the other one.
  if (icmp.unavailable) {
    if (!tcp) return { ...base, status: "skip", explanation: icmp.evidence };
    [icmp, tcp] = [tcp, undefined];
  }
  const evidence = `icmp: ${icmp.evidence}${tcp ? `; tcp: ${tcp.evidence}` : ""}`;
  const to = pair.to === "outside" ? `the outside stand-in ${plan.address}` : pair.to === "host" ? `the host at ${plan.address}` : `${pair.to} at ${plan.address}`;
  const where = `${networkLabel(pair.mode, pair.network)}${pair.kind === "vm-outside" ? ` (leaving by ${pair.via})` : ""}`;
  if (tcp && tcp.reached !== icmp.reached) {
    return { ...base, status: "fail", explanation: `${where}: ${pair.from} reached ${to} by ${icmp.reached ? "ICMP but not TCP" : "TCP but not ICMP"} (${evidence}); expected ${pair.expected ? "both" : "neither"}, as ${pair.rule}` };
  }
  const reached = icmp.reached;
  if (reached === pair.expected) return { ...base, reached, status: "pass", explanation: evidence };
  const verb = reached ? "reached" : "could not reach";
  return { ...base, reached, status: "fail", explanation: `${where}: ${pair.from} ${verb} ${to}, but ${pair.rule} (${evidence})` };
}

/** A guest whose libvirt default network (virbr0) overlaps a lab network: its nested guests' NAT breaks. */
function virbr0Clashes(lab: Lab, sessions: Map<string, GuestSession>): GuestProblem[] {
  const problems: GuestProblem[] = [];
  const blocks = lab.networks.filter((n) => n.cidr).map((n) => ({ key: n.key, cidr: n.cidr! }));
  for (const [machine, session] of sessions) {
    for (const address of session.addresses.filter((a) => a.iface === "virbr0")) {
      const block = interfaceBlock(address.cidr) ?? LIBVIRT_DEFAULT_NETWORK;
      for (const clash of blocks.filter((b) => overlaps(b.cidr, block))) {
        problems.push({
          machine,
          failing: true,
          problem: `virbr0 ${address.cidr} overlaps the lab network '${clash.key}' (${clash.cidr.text}): NAT for the guest's own VMs breaks; move the lab network or the guest's libvirt default network`,
        });
      }
    }
  }
  return problems;
}

/** The block of an interface address such as 192.168.122.1/24 (host bits and all). */
function interfaceBlock(text: string): Cidr | undefined {
  const [ip, bits] = text.split("/");
  const address = parseIpv4(ip);
  const prefix = Number(bits);
  if (address === undefined || !Number.isInteger(prefix) || prefix < 1 || prefix > 32) return undefined;
  const network = (address & (~0 << (32 - prefix))) >>> 0;
  return { network, prefix, text: `${formatIpv4(network)}/${prefix}` };
}
