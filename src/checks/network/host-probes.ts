// The host's side of the network check: listeners on the host's own addresses (so guests
// can probe a TCP port there), and probes from the host to the guests: ICMP through the
// system's ping, TCP by connecting. Each bounded like the guests' probes.
import net from "node:net";
import os from "node:os";
import { runProcess } from "../../process/run.js";
import type { Probe, ProbeOutcome } from "./guest-session.js";

/** The host's IPv4 addresses by interface name. */
export function hostAddresses(): Map<string, string[]> {
  const byDevice = new Map<string, string[]>();
  for (const [name, infos] of Object.entries(os.networkInterfaces())) {
    const v4 = (infos ?? []).filter((i) => i.family === "IPv4").map((i) => i.address);
    if (v4.length) byDevice.set(name, v4);
  }
  return byDevice;
}

export interface HostListeners {
  /** Addresses actually listened on, with the port. */
  listening: Map<string, number>;
  close(): Promise<void>;
}

/** Listens on `port` on each address that is the host's own; others are left out. */
export async function listenOnHost(addresses: string[], port: number): Promise<HostListeners> {
  const own = new Set([...hostAddresses().values()].flat());
  const servers: net.Server[] = [];
  const listening = new Map<string, number>();
  for (const address of new Set(addresses)) {
    if (!own.has(address)) continue;
    const server = net.createServer((socket) => socket.destroy());
    const ok = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, address, () => resolve(true));
    });
    if (ok) {
      servers.push(server);
      listening.set(address, port);
    }
  }
  return {
    listening,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}

async function icmpFromHost(address: string): Promise<ProbeOutcome> {
  const result = await runProcess("ping", ["-n", "-c", "2", "-i", "1", "-W", "1", "-w", "3", address], { timeoutMs: 5000, graceMs: 0, group: true });
  if (result.notFound) return { reached: false, unavailable: true, evidence: "ping is not installed on the host (apt-get install iputils-ping)" };
  if (result.exitCode === 0) return { reached: true, evidence: `echo reply from ${address}` };
  const said = result.all.split("\n").find((l) => /unreachable|100% packet loss|connect:/i.test(l));
  return { reached: false, evidence: said?.trim() ?? "no echo reply within 3 s" };
}

async function tcpFromHost(address: string, port: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (outcome: ProbeOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(2000, () => done({ reached: false, evidence: "no answer within 2 s" }));
    socket.once("connect", () => done({ reached: true, evidence: `connected to ${address}:${port}` }));
    socket.once("error", (error: NodeJS.ErrnoException) => done({ reached: false, evidence: `connect: ${error.code ?? error.message}` }));
  });
}

/** Runs the host's probes, all at once; outcomes by probe id. */
export async function probeFromHost(probes: Probe[]): Promise<Map<string, ProbeOutcome>> {
  const outcomes = await Promise.all(probes.map((p) => (p.kind === "icmp" ? icmpFromHost(p.address) : tcpFromHost(p.address, p.port!))));
  return new Map(probes.map((p, i) => [p.id, outcomes[i]]));
}
