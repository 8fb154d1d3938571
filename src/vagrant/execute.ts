// The one place kvm-lab runs vagrant. Failures come back as typed errors: vagrant not
// installed (exit 3, with an install hint), vagrant failing (exit 4, its stderr kept).
import { VagrantFailedError, VagrantMissingError, VagrantTooOldError } from "../errors.js";
import { runProcess, stopRunningProcesses } from "../process/run.js";
import { missingPlugins } from "./missing-plugins.js";

export interface VagrantOptions {
  /** The lab folder (where the Vagrantfile is). */
  cwd: string;
  /** The vagrant executable; default `vagrant` on PATH, or $KVM_LAB_VAGRANT. */
  binary?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Called with each line of stdout as it comes (machine-readable progress). */
  onLine?: (line: string) => void;
}

/** Stops every vagrant run under way (Ctrl-C during `kvm-lab test`), so cleanup can start at once. */
export function stopRunningVagrant(): void {
  stopRunningProcesses();
}

export interface VagrantResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const INSTALL_HINT = "install Vagrant (Debian/Ubuntu: apt-get install -y vagrant; elsewhere see the Vagrant downloads page) or set KVM_LAB_VAGRANT to its path";

export function vagrantBinary(options: Pick<VagrantOptions, "binary"> = {}): string {
  return options.binary ?? process.env.KVM_LAB_VAGRANT ?? "vagrant";
}

/** Runs `vagrant ...args`; resolves on exit 0, throws a typed error otherwise. */
export async function executeVagrant(args: string[], options: VagrantOptions): Promise<VagrantResult> {
  const binary = vagrantBinary(options);
  // A process group of its own, so a timeout ends vagrant and everything it started (ruby, ssh).
  const result = await runProcess(binary, args, { cwd: options.cwd, env: options.env, timeoutMs: options.timeoutMs, onLine: options.onLine, group: true });
  const command = `vagrant ${args.join(" ")}`;
  const { stdout, stderr } = result;
  if (result.notFound || (result.exitCode === 127 && !result.timedOut)) {
    throw new VagrantMissingError(`vagrant is not installed (looked for "${binary}")`, { hint: INSTALL_HINT, cause: result });
  }
  if (result.notExecutable || (result.exitCode === 126 && !result.timedOut)) {
    throw new VagrantMissingError(`"${binary}" cannot be run (exit 126: not executable)`, { hint: INSTALL_HINT, cause: result });
  }
  if (result.timedOut) {
    throw new VagrantFailedError(command, `${stderr}\n(timed out after ${options.timeoutMs} ms)`, { cause: result });
  }
  const plugins = result.failed ? missingPlugins(`${stdout}\n${stderr}`) : undefined;
  if (plugins) {
    // Vagrant's own words here are only that it needs a TTY (see missing-plugins.ts).
    throw new VagrantFailedError(command, `the Vagrant plugins the lab needs (config.vagrant.plugins) are not installed: ${plugins.join(", ")}`, {
      hint: `vagrant plugin install ${plugins.join(" ")}`,
      cause: result,
    });
  }
  if (result.failed) {
    throw new VagrantFailedError(command, stderr || stdout, { cause: result });
  }
  return { stdout, stderr, exitCode: result.exitCode ?? 0 };
}

export const MINIMUM_VAGRANT = "2.2.19";

const versions = new Map<string, Promise<string>>();

/** Compares dotted versions ("2.3.4" < "2.4.3"), missing parts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return 0;
}

/** `vagrant --version`, asked once per binary; throws when missing or older than MINIMUM_VAGRANT. */
export function vagrantVersion(options: Omit<VagrantOptions, "cwd"> & { cwd?: string } = {}): Promise<string> {
  const binary = vagrantBinary(options);
  let pending = versions.get(binary);
  if (!pending) {
    pending = (async () => {
      const { stdout } = await executeVagrant(["--version"], { ...options, cwd: options.cwd ?? process.cwd(), binary });
      const match = /Vagrant (\d+\.\d+\.\d+)/.exec(stdout);
      if (!match) throw new VagrantMissingError(`could not read vagrant's version from "${stdout.trim()}"`, { hint: INSTALL_HINT });
      if (compareVersions(match[1], MINIMUM_VAGRANT) < 0) {
        throw new VagrantTooOldError(`vagrant ${match[1]} is older than ${MINIMUM_VAGRANT}, the oldest kvm-lab supports`, {
          hint: "upgrade Vagrant",
        });
      }
      return match[1];
    })();
    pending.catch(() => versions.delete(binary));
    versions.set(binary, pending);
  }
  return pending;
}
