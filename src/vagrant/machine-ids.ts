// Which provider machine stands behind each of a lab's machines, read from Vagrant's own
// files rather than through `vagrant status` (a Ruby start per call): Vagrant writes the
// provider's id of a created machine to <data dir>/machines/<name>/<provider>/id (Vagrant's
// lib/vagrant/machine.rb, Machine#id= writes it into the machine's data_dir), the data dir
// being .vagrant beside the Vagrantfile or $VAGRANT_DOTFILE_PATH (lib/vagrant/environment.rb
// `initialize`). libvirt: the domain's UUID (vagrant-libvirt lib/vagrant-libvirt/action/
// create_domain.rb sets env[:machine].id = server.id); VirtualBox: the VM's UUID
// (plugins/providers/virtualbox/action/import.rb).
import path from "node:path";
import fs from "fs-extra";
import type { Provider } from "../config/types.js";

/** Vagrant's data folder of the lab in `dir`. */
export function vagrantDataDir(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.VAGRANT_DOTFILE_PATH ? path.resolve(dir, env.VAGRANT_DOTFILE_PATH) : path.join(dir, ".vagrant");
}

/** The provider id of `machine` in the lab folder `dir`, or undefined when Vagrant has not created it. */
export async function machineIdOf(dir: string, machine: string, provider: Provider): Promise<string | undefined> {
  const text = await fs.readFile(path.join(vagrantDataDir(dir), "machines", machine, provider, "id"), "utf8").catch(() => "");
  return text.trim() || undefined;
}

/** Every machine Vagrant created for `provider` in the lab at `dir`: name -> provider id (machines named or not in the config alike), by name. */
export async function machineIds(dir: string, provider: Provider): Promise<Map<string, string>> {
  const names = await fs.readdir(path.join(vagrantDataDir(dir), "machines")).catch(() => [] as string[]);
  const ids = await Promise.all(names.map(async (name) => [name, await machineIdOf(dir, name, provider)] as const));
  return new Map(ids.filter((entry): entry is readonly [string, string] => entry[1] !== undefined).sort(([a], [b]) => a.localeCompare(b)));
}
