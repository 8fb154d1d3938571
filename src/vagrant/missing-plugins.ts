// The plugins a Vagrantfile's `config.vagrant.plugins` names that are not installed, read
// from what Vagrant says before it stops. Vagrant checks them whenever it loads the
// Vagrantfile (lib/vagrant/environment.rb Environment#process_configured_plugins, every
// command, `vagrant validate` included): it warns `vagrant.plugins.local.uninstalled_plugins`
// (templates/locales/en.yml, the same in Vagrant 2.4), then asks whether to install them
// from rubygems.org. kvm-lab runs vagrant without a terminal, so that question fails with
// Vagrant's `ui_expects_tty` (Vagrant::Errors::UIExpectsTTY), which names no plugin; only
// VAGRANT_INSTALL_LOCAL_PLUGINS set in the environment makes Vagrant install them unasked.

// "Vagrant has detected project local plugins configured for this\nproject which are not
// installed.\n\n  <name>, <name>" (machine-readable output writes newlines as "\n" and commas as
// %!(VAGRANT_COMMA), vagrant/machine-readable.ts).
const UNINSTALLED = /project local plugins configured for this\s+project which are not installed\.\s+([^\n]+)/;

/** The missing plugins Vagrant's output names, or undefined when it names none. */
export function missingPlugins(output: string): string[] | undefined {
  const match = UNINSTALLED.exec(output.replace(/%!\(VAGRANT_COMMA\)/g, ",").replace(/\\n/g, "\n"));
  if (!match) return undefined;
  const names = match[1].split(",").map((name) => name.trim()).filter(Boolean);
  return names.length ? names : undefined;
}
