// Synced folders of the types both providers have, SSH settings, autostart/primary, box
// versions and update checks, boot timeouts, per-provider boxes and Vagrant plugins. `vagrant validate` runs on the rendered
// Vagrantfile alone in an empty folder, so every shared host folder is "." or has
// `create: true`, and the private key named is the Vagrantfile itself (a file that is there).
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "folders-ssh",
  box: "debian/bookworm64",
  vagrantPlugins: ["vagrant-libvirt"],
  defaults: { boxVersion: ">= 12.20230101.1, < 13", boxCheckUpdate: false, ssh: { forwardAgent: true } },
  syncedFolders: [
    // The lab's own /vagrant replaces the project folder line: rsync, without .git and .vagrant.
    { host: ".", guest: "/vagrant", type: "rsync", rsyncExclude: [".git/", ".vagrant/"], rsyncArgs: ["--verbose", "--archive", "--delete", "-z"] },
    // The provider's default type; nfs and smb are left out: `vagrant validate` refuses a type
    // the host cannot serve, and the test host has no NFS server (unit tests render them).
    { host: "shared", guest: "/srv/shared", create: true, mountOptions: ["ro"] },
  ],
  machines: [
    {
      name: "web",
      primary: true,
      libvirt: { box: "generic/debian12" },
      virtualbox: { box: "bento/debian-12" },
      boxVersion: "~> 4.3",
      bootTimeoutSeconds: 900,
      syncedFolders: [
        // smb folders need a Windows or macOS host: not here, where `vagrant validate` runs on Linux.
        { host: "site", guest: "/var/www/site/", create: true, owner: "www-data", group: "www-data", type: "rsync" },
        { host: "logs", guest: "/var/log/site", create: true },
        { host: ".", guest: "/srv/shared", disabled: true },
      ],
      ssh: { username: "vagrant", insertKey: false, privateKeyPath: ["Vagrantfile"] },
    },
    {
      name: "database",
      autostart: false,
      ssh: { username: "admin", password: "s3cret \"#{x}\"", insertKey: true, forwardAgent: false },
    },
  ],
});
