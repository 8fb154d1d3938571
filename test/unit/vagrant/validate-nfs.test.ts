// `kvm-lab validate` on a host that serves no NFS: Vagrant refuses the Vagrantfile in its own
// words (nfs_not_supported, or command_unavailable for modinfo), and kvm-lab adds the fix.
// The texts are read from the installed Vagrant's locale file, as Vagrant prints them.
import { execa } from "execa";
import { nfsHostMissing, providerMissing } from "../../../src/vagrant/validate.js";

/** An error text of the installed Vagrant (templates/locales/en.yml, en.vagrant.errors.<key>), with its %{...} filled in. */
async function vagrantSays(key: string, fill: Record<string, string> = {}): Promise<string> {
  const { stdout: root } = await execa("ruby", ["-e", 'print Gem::Specification.find_by_name("vagrant").gem_dir']);
  const { stdout } = await execa("ruby", ["-ryaml", "-e", 'print YAML.load_file(ARGV[0])["en"]["vagrant"]["errors"][ARGV[1]]', `${root}/templates/locales/en.yml`, key]);
  return Object.entries(fill).reduce((text, [name, value]) => text.split(`%{${name}}`).join(value), stdout);
}

test("Vagrant's 'doesn't support NFS' and 'modinfo not found' get the NFS server fix; other failures do not", async () => {
  const notSupported = await vagrantSays("nfs_not_supported");
  const noModinfo = await vagrantSays("command_unavailable", { file: "modinfo" });
  expect(notSupported).toContain("support NFS");
  for (const said of [notSupported, noModinfo]) {
    expect(nfsHostMissing(said)).toMatch(/need an NFS server on this host: install it \(Debian, Ubuntu: apt-get install nfs-kernel-server/);
    expect(providerMissing("libvirt", said)).toBeUndefined(); // not a provider that cannot run: the lab's folders
  }
  expect(nfsHostMissing(await vagrantSays("command_unavailable", { file: "rsync" }))).toBeUndefined();
  expect(nfsHostMissing("There are errors in the configuration of this machine.")).toBeUndefined();
}, 30_000);
