// `vagrant validate` on a rendered lab, for the lab's provider.
import type { Provider } from "../config/types.js";
import { executeVagrant, vagrantVersion, type VagrantOptions } from "./execute.js";

/** Runs Vagrant's own checks of the Vagrantfile in `cwd`, provider block included. */
export async function validateWithVagrant(provider: Provider, options: VagrantOptions): Promise<string> {
  await vagrantVersion(options);
  const env = { VAGRANT_DEFAULT_PROVIDER: provider, ...options.env };
  const { stdout } = await executeVagrant(["validate"], { ...options, env });
  return stdout.trim();
}
