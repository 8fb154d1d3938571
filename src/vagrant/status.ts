// Machine states from `vagrant status --machine-readable` (`ts,target,state,<id>`), and what a
// state means for a command that needs the machine running. Vagrant's state ids come from the
// provider: VirtualBox's driver (plugins/providers/virtualbox/provider.rb, Provider#state:
// running, poweroff, saved, aborted, not_created...) and vagrant-libvirt's
// (lib/vagrant-libvirt/provider.rb, Provider#state: running, shutoff, paused, not_created...);
// only `running` has an SSH address.
import { executeVagrant } from "./execute.js";
import { statesOf } from "./machine-readable.js";

/** The state id of a machine that is up. */
export const RUNNING = "running";

/** Every machine's state, by name (`vagrant status --machine-readable`, run in the lab folder). */
export async function machineStates(dir: string, env?: Record<string, string>): Promise<Map<string, string>> {
  const { stdout } = await executeVagrant(["status", "--machine-readable"], { cwd: dir, env });
  return statesOf(stdout);
}

/** Why a machine that is not running cannot be reached, and the fix, for reports and errors. */
export function notRunning(state: string): { error: string; state: string; fix: string } {
  return { error: `not running (vagrant status: ${state})`, state, fix: "run kvm-lab up" };
}
