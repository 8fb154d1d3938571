// virsh on a lab host's libvirt, from this machine: `virsh -c <uri>` (libvirt's own ssh
// transport for a remote host), bounded in time.
import { runProcess, type ProcessResult } from "../process/run.js";
import { virshBinary } from "../vagrant/libvirt-connection.js";

/** `virsh -c <uri> args...`, ended after `timeoutMs`. */
export function virshOn(uri: string, args: string[], timeoutMs = 60_000): Promise<ProcessResult> {
  return runProcess(virshBinary(), ["-c", uri, ...args], { timeoutMs, group: true });
}
