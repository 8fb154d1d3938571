// Where VirtualBox's host-only range is enforced. Vagrant's VirtualBox provider refuses a
// host-only address outside the ranges of /etc/vbox/networks.conf (without the file:
// 192.168.56.0/21) on VirtualBox 6.1.28 and later, except on Windows and on macOS with
// VirtualBox 7 (hashicorp/vagrant plugins/providers/virtualbox/action/network.rb:
// validate_hostonly_ip!, load_net_conf, HOSTONLY_VALIDATE_VERSION,
// DARWIN_IGNORE_HOSTONLY_VALIDATE_VERSION). The config only warns (its Vagrantfile is shared
// between hosts); `kvm-lab up` refuses here, on a host that enforces it.
import fs from "node:fs";
import type { Lab } from "../config/types.js";
import { DEFAULTS } from "../config/defaults.js";
import type { Problem } from "../errors.js";
import { parseCidr, within, type Cidr } from "../net/ipv4.js";
import { compareVersions } from "../vagrant/execute.js";

export const NETWORKS_CONF = "/etc/vbox/networks.conf";

/** The IPv4 ranges of networks.conf's "* a.b.c.d/n ..." lines, or undefined without the file. */
export function readNetworksConf(file = NETWORKS_CONF): Cidr[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("*"))
    .flatMap((line) => line.slice(1).trim().split(/\s+/))
    .map((entry) => parseCidr(entry))
    .flatMap((parsed) => (parsed.ok ? [parsed.cidr] : []));
}

/** Whether Vagrant checks host-only addresses against the ranges on this host and VirtualBox. */
export function enforcesHostOnlyRanges(platform: NodeJS.Platform, virtualbox: string): boolean {
  if (compareVersions(virtualbox, "6.1.28") < 0 || platform === "win32") return false;
  return !(platform === "darwin" && compareVersions(virtualbox, "7.0.0") >= 0);
}

/** The lab's host-only networks this host would refuse, each with the fix. */
export function hostOnlyRangeProblems(lab: Lab, options: { platform: NodeJS.Platform; virtualbox: string; ranges?: Cidr[] }): Problem[] {
  if (lab.provider !== "virtualbox" || !enforcesHostOnlyRanges(options.platform, options.virtualbox)) return [];
  const ranges = options.ranges ?? [DEFAULTS.hostOnlyRange];
  const described = ranges.map((r) => r.text).join(", ") || "none";
  return lab.networks
    .filter((n) => (n.mode === "hostonly" || n.mode === "hostonlynet") && n.cidr && !ranges.some((r) => within(n.cidr!, r)))
    .map((n) => ({
      path: `networks.${n.key}.cidr`,
      message: `${n.cidr!.text} is outside the host-only ranges VirtualBox ${options.virtualbox} allows on this host (${described})`,
      fix: `add the line "* ${n.cidr!.text}" to ${NETWORKS_CONF}, or pick a block inside ${described}`,
    }));
}
