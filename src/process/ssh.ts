// The ssh command line kvm-lab uses for every guest session (the KVM checks, the network
// probe): the lab's ssh-config file from `vagrant ssh-config`, never a password prompt, a
// bounded connect, and keepalives so a dead guest ends the session.

export interface SshTarget {
  /** The file `vagrant ssh-config` was written to. */
  sshConfig: string;
  /** The machine's Host entry in it. */
  machine: string;
  /** What to run there (one string: ssh hands it to the guest's shell). */
  remote: string;
  /** The ssh binary (tests inject faults); default ssh. */
  ssh?: string;
}

/** The ssh command and arguments that run `remote` on a lab machine. */
export function sshCommand(target: SshTarget): [string, string[]] {
  return [
    target.ssh ?? "ssh",
    ["-F", target.sshConfig, "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=10", target.machine, target.remote],
  ];
}
