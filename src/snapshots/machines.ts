// Which provider machine stands behind each of a lab's machines: Vagrant writes the provider's
// id of a created machine to <lab>/.vagrant/machines/<name>/<provider>/id (Vagrant's
// lib/vagrant/machine.rb, Machine#id= writes the file into the machine's data_dir; libvirt:
// the domain's UUID, vagrant-libvirt lib/vagrant-libvirt/action/create_domain.rb sets
// env[:machine].id = server.id; VirtualBox: the VM's UUID, plugins/providers/virtualbox/action/import.rb).
import path from "node:path";
import fs from "fs-extra";
import type { Provider } from "../config/types.js";

/** The provider id of `machine` in the lab folder `dir`, or undefined when Vagrant has not created it. */
export async function providerIdOf(dir: string, machine: string, provider: Provider): Promise<string | undefined> {
  const root = process.env.VAGRANT_DOTFILE_PATH ? path.resolve(dir, process.env.VAGRANT_DOTFILE_PATH) : path.join(dir, ".vagrant");
  const text = await fs.readFile(path.join(root, "machines", machine, provider, "id"), "utf8").catch(() => "");
  return text.trim() || undefined;
}
