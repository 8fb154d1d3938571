// Which Vagrant drives which VirtualBox. Vagrant's VirtualBox provider picks a driver by the
// VirtualBox version's "major.minor" and refuses a version it has no driver for
// (hashicorp/vagrant plugins/providers/virtualbox/driver/meta.rb, Meta#initialize:
// driver_map, then VirtualBoxInvalidVersion). Debian's vagrant 2.3.4 maps 4.0 to 7.0.
import { compareVersions } from "./execute.js";

/** The first Vagrant release with a driver for each VirtualBox line newer than 7.0. */
export const VAGRANT_FOR_VIRTUALBOX: Readonly<Record<string, string>> = {
  // Vagrant 2.4.3 release notes: "provider/virtualbox: Add support for VirtualBox 7.1 [GH-13513]".
  "7.1": "2.4.3",
  // Vagrant CHANGELOG 2.4.9: "provider/virtualbox: Add support for VirtualBox 7.2 [GH-13709]".
  "7.2": "2.4.9",
};

/** The Vagrant version a VirtualBox version needs, when `vagrant` is older than that; else undefined. */
export function vagrantTooOldFor(virtualbox: string, vagrant: string): string | undefined {
  const line = /^(\d+\.\d+)/.exec(virtualbox)?.[1];
  if (!line) return undefined;
  const needed = VAGRANT_FOR_VIRTUALBOX[line];
  // A line newer than the table knows: at least a Vagrant newer than the last one listed.
  if (!needed && compareVersions(line, "7.2") > 0) return compareVersions(vagrant, "2.4.9") <= 0 ? "a release newer than 2.4.9" : undefined;
  return needed && compareVersions(vagrant, needed) < 0 ? needed : undefined;
}
