// Commands on a lab's libvirt host: on this machine directly, on another over ssh with the
// settings of its URI (the same ones libvirt's ssh transport and vagrant-libvirt's proxy
// command use, so one working `virsh -c <uri>` means kvm-lab reaches the host too).
// Commands that change the host's network (tunnels) run as root: directly when the user
// is root, else through `sudo -n` (no password prompt: a refusal is reported, not awaited).
import os from "node:os";
import type { Lab, LabHost } from "../config/types.js";
import { runProcess, type ProcessResult } from "../process/run.js";
import { parseLibvirtUri, type LibvirtUri } from "../config/libvirt-uri.js";

export interface HostShell {
  /** The host's name in the config. */
  name: string;
  uri: LibvirtUri;
  /** Where commands run, for messages: "this machine" or "root@198.51.100.2". */
  where: string;
  /** Runs argv on the host (quoted for the remote shell); `root` adds sudo -n unless already root. */
  run(argv: string[], options?: { input?: string; timeoutMs?: number; root?: boolean }): Promise<ProcessResult>;
}

/** Quotes one word for a POSIX shell: the remote side of ssh gets one command line. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * ssh's options for a host URI: batch mode (no prompt can hang kvm-lab), a connect timeout,
 * and what libvirt's ssh transport passes for the same URI (remote/remote_driver.c,
 * rpc/virnetsocket.c virNetSocketNewConnectSSH: -p port, -l user, -i keyfile,
 * StrictHostKeyChecking=no for no_verify=1).
 */
export function sshArgs(uri: LibvirtUri, connectTimeoutSeconds = 10): string[] {
  const args = ["-o", "BatchMode=yes", "-o", `ConnectTimeout=${connectTimeoutSeconds}`, "-T"];
  if (uri.port) args.push("-p", String(uri.port));
  if (uri.user) args.push("-l", uri.user);
  if (uri.params.keyfile) args.push("-i", uri.params.keyfile);
  // EXTRACT_URI_ARG_BOOL: a whole number, non-zero = set (libvirt-uri.ts).
  if (uri.params.no_verify && Number(uri.params.no_verify) !== 0) args.push("-o", "StrictHostKeyChecking=no");
  return [...args, uri.host!];
}

const isRootHere = () => process.getuid?.() === 0;

/** The shell of a lab host (its URI was checked when the config loaded). */
export function hostShell(host: Pick<LabHost, "name" | "uri">): HostShell {
  const parsed = parseLibvirtUri(host.uri);
  if (!parsed.ok) throw new Error(`hosts.${host.name}.uri: ${parsed.message}`);
  const { uri } = parsed;
  if (uri.local) {
    return {
      name: host.name,
      uri,
      where: "this machine",
      run: (argv, options = {}) => {
        const [command, ...args] = options.root && !isRootHere() ? ["sudo", "-n", ...argv] : argv;
        return runProcess(command, args, { input: options.input, timeoutMs: options.timeoutMs ?? 60_000, group: true });
      },
    };
  }
  const user = uri.user ?? os.userInfo().username;
  return {
    name: host.name,
    uri,
    where: `${user}@${uri.host}`,
    run: (argv, options = {}) => {
      const words = options.root && user !== "root" ? ["sudo", "-n", ...argv] : argv;
      return runProcess("ssh", [...sshArgs(uri), "--", words.map(shellQuote).join(" ")], { input: options.input, timeoutMs: options.timeoutMs ?? 60_000, group: true });
    },
  };
}

/** The shells of a lab's hosts, by host name. */
export function labShells(lab: Pick<Lab, "hosts">): Map<string, HostShell> {
  return new Map(lab.hosts.map((h) => [h.name, hostShell(h)]));
}
