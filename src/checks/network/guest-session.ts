// One SSH session per guest for the network check, speaking the line protocol of
// templates/network-probe.pl: the guest reports its addresses and starts its listener,
// waits while every other machine does the same, probes when told, and keeps listening
// until told to stop (others may still be probing it).
import path from "node:path";
import readline from "node:readline";
import fs from "fs-extra";
import { TEMPLATES_DIR } from "../../paths.js";
import { startProcess, type RunningProcess } from "../../process/run.js";
import { sshCommand } from "../../process/ssh.js";

export interface GuestAddress {
  iface: string;
  /** "10.10.0.11/24" */
  cidr: string;
  address: string;
}

export interface Probe {
  id: string;
  kind: "icmp" | "tcp";
  address: string;
  port?: number;
  /** Leave by this interface (SO_BINDTODEVICE). */
  iface?: string;
}

export interface ProbeOutcome {
  reached: boolean;
  evidence: string;
  /** The probe could not be made here (a tool missing): it says nothing about the network. */
  unavailable?: boolean;
}

/** The probe program's text (templates/network-probe.pl, shipped with the package). */
export async function probeProgram(): Promise<string> {
  return fs.readFile(path.join(TEMPLATES_DIR, "network-probe.pl"), "utf8");
}

export class GuestSession {
  readonly addresses: GuestAddress[] = [];
  listening = false;
  listenError?: string;
  private readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  private closed = false;
  private stderr = "";

  private constructor(
    readonly machine: string,
    private readonly child: RunningProcess,
  ) {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      this.lines.push(line);
      this.wake();
    });
    child.stderr!.on("data", (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    void child.result.then(() => this.end());
  }

  /** Opens the session and sends the program; the guest answers with its addresses. */
  static open(machine: string, options: { sshConfig: string; ssh?: string; program: string; port: number }): GuestSession {
    const [ssh, args] = sshCommand({ ssh: options.ssh, sshConfig: options.sshConfig, machine, remote: "sudo -n perl -" });
    const child = startProcess(ssh, args, { stdin: "pipe", buffer: false });
    const session = new GuestSession(machine, child);
    session.send(`${options.program}\n__END__\nLISTEN ${options.port}\n`);
    return session;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private end(): void {
    this.closed = true;
    this.wake();
  }

  private send(text: string): void {
    if (!this.closed) this.child.stdin!.write(text);
  }

  /** Lines up to and including the first that `done` accepts; rejects on timeout or a closed session. */
  private async readUntil(done: (line: string) => boolean, deadline: number): Promise<string[]> {
    const taken: string[] = [];
    for (;;) {
      while (this.lines.length) {
        const line = this.lines.shift()!;
        taken.push(line);
        if (done(line)) return taken;
      }
      if (this.closed) throw new Error(this.failure("the session ended early"));
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no answer in time");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private failure(what: string): string {
    const said = this.stderr.trim().split("\n").slice(-2).join(" ");
    return `${what}${said ? `: ${said}` : ""}`;
  }

  /** Waits for READY: addresses known, listener up (or why not). */
  async ready(deadline: number): Promise<void> {
    for (const line of await this.readUntil((l) => l === "READY", deadline)) {
      const [tag, ...rest] = line.split(" ");
      if (tag === "ADDR" && rest.length === 2) {
        this.addresses.push({ iface: rest[0], cidr: rest[1], address: rest[1].split("/")[0] });
      } else if (tag === "LISTENING") this.listening = true;
      else if (tag === "LISTEN-FAILED") this.listenError = rest.join(" ");
    }
  }

  /** Runs the probes in the guest; outcomes by probe id. */
  async probe(probes: Probe[], deadline: number): Promise<Map<string, ProbeOutcome>> {
    const lines = probes.map((p) => `PROBE ${p.id} ${p.kind} ${p.address} ${p.port ?? "-"} ${p.iface ?? "-"}`);
    this.send(`${[...lines, "GO"].join("\n")}\n`);
    const outcomes = new Map<string, ProbeOutcome>();
    for (const line of await this.readUntil((l) => l === "DONE", deadline)) {
      const match = /^RESULT (\S+) (yes|no) ?(.*)$/.exec(line);
      if (match) outcomes.set(match[1], { reached: match[2] === "yes", evidence: match[3] });
    }
    return outcomes;
  }

  /** Stops the guest's listener and ends the session (`now`: a hung session is killed at once). */
  async close(options: { now?: boolean } = {}): Promise<void> {
    this.send("STOP\n");
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), options.now ? 0 : 10_000);
    await this.child.result;
    clearTimeout(timer);
  }
}
