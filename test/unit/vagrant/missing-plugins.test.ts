// A lab whose config.vagrant.plugins names a plugin that is not installed: the real vagrant
// stops (it cannot ask to install it without a terminal) and kvm-lab says which plugin and
// how to install it, instead of passing on Vagrant's "requires a TTY".
import path from "node:path";
import fs from "fs-extra";
import { executeVagrant } from "../../../src/vagrant/execute.js";
import { missingPlugins } from "../../../src/vagrant/missing-plugins.js";
import { VagrantFailedError } from "../../../src/errors.js";
import { tempDir, VAGRANT_HOME } from "../../support/tools.js";

test("real vagrant validate with a missing plugin: the error names it and the install command", async () => {
  const dir = await tempDir("kvm-lab-missing-plugin-");
  try {
    const vagrantfile = 'Vagrant.configure("2") do |config|\n  config.vagrant.plugins = ["kvm-lab-no-such-plugin", "kvm-lab-no-such-other"]\n  config.vm.box = "x"\nend\n';
    await fs.writeFile(path.join(dir, "Vagrantfile"), vagrantfile);
    const env = { VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1", VAGRANT_INSTALL_LOCAL_PLUGINS: undefined };
    const error = await executeVagrant(["validate"], { cwd: dir, env }).catch((e) => e);
    expect(error).toBeInstanceOf(VagrantFailedError);
    expect(error.message).toContain("are not installed: kvm-lab-no-such-other, kvm-lab-no-such-plugin");
    expect(error.message).not.toContain("TTY");
    expect(error.hint).toBe("vagrant plugin install kvm-lab-no-such-other kvm-lab-no-such-plugin");
  } finally {
    await fs.remove(dir);
  }
}, 120_000);

test("machine-readable output: the names are read from its escaped newlines", () => {
  const line = "1700000000,,ui,warn,Vagrant has detected project local plugins configured for this\\nproject which are not installed.\\n\\n  vagrant-hostmanager%!(VAGRANT_COMMA) vagrant-libvirt";
  expect(missingPlugins(line)).toEqual(["vagrant-hostmanager", "vagrant-libvirt"]);
  expect(missingPlugins("Vagrant failed to initialize at a very early stage")).toBeUndefined();
});
