// The escape hatch's tables of upstream setting names, read against the installed upstream
// sources: vagrant-libvirt 0.11.2's Config and Vagrant 2.3.4's VirtualBox Config.
import fs from "node:fs";
import { LIBVIRT_NOT_SETTINGS, VAGRANT_LIBVIRT_SETTINGS, VIRTUALBOX_SETTINGS } from "../../../src/config/provider-settings.js";

const GEMS = "/usr/share/rubygems-integration/all/gems";
const LIBVIRT_CONFIG = `${GEMS}/vagrant-libvirt-0.11.2/lib/vagrant-libvirt/config.rb`;
const VIRTUALBOX_CONFIG = `${GEMS}/vagrant-2.3.4/plugins/providers/virtualbox/config.rb`;
const installed = fs.existsSync(LIBVIRT_CONFIG) && fs.existsSync(VIRTUALBOX_CONFIG);
if (!installed) process.stderr.write("provider-settings: Vagrant 2.3.4 / vagrant-libvirt 0.11.2 sources not installed here, skipping\n");

const names = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]);

(installed ? test : test.skip)("the libvirt table is config.rb's attr_accessor list, every accessor a method fills among them", () => {
  const source = fs.readFileSync(LIBVIRT_CONFIG, "utf8");
  expect([...VAGRANT_LIBVIRT_SETTINGS].sort()).toEqual(names(source, /^\s*attr_accessor :(\w+)/gm).sort());
  for (const key of Object.keys(LIBVIRT_NOT_SETTINGS)) expect(VAGRANT_LIBVIRT_SETTINGS).toContain(key);
});

(installed ? test : test.skip)("the VirtualBox table is config.rb's attr_accessors and `name=` setters, not its readers or methods", () => {
  const source = fs.readFileSync(VIRTUALBOX_CONFIG, "utf8");
  const expected = [...names(source, /^\s*attr_accessor :(\w+)/gm), ...names(source, /^\s*def (\w+)=\(/gm)];
  expect([...VIRTUALBOX_SETTINGS].sort()).toEqual(expected.sort());
  for (const method of ["customize", "network_adapter", "customizations", "network_adapters"]) expect(VIRTUALBOX_SETTINGS).not.toContain(method);
});
