// Parts of a machine's view that both providers print the same way.
import type { Machine, Nic, Provider } from "../config/types.js";
import type { NetworkMode } from "../net/modes.js";
import { reachOf } from "../net/reach.js";
import type { NetworkLineView, OptionPairs } from "./view.js";

const ADDRESS_WITHOUT_IP: Record<NetworkMode, string> = {
  hostonly: ", DHCP",
  hostonlynet: ", DHCP",
  natnetwork: ", DHCP",
  nat: ", DHCP",
  bridged: ", DHCP",
  intnet: ", no address (internal networks have no DHCP)",
  null: "",
  generic: "",
};

/** Two comment lines: `adapter 3: intnet "tenant" (10.10.0.0/24), ip 10.10.0.10`, then what the mode reaches on the provider. */
export function describeNic(provider: Provider, nic: Nic, suffix = ""): string[] {
  const { network } = nic;
  const name = nic.named ? ` "${network.key}"` : "";
  const block = network.cidr ? ` (${network.cidr.text})` : "";
  const bridge = network.bridge ? ` to ${network.bridge}` : "";
  const address = nic.ip ? `, ip ${nic.ip}` : ADDRESS_WITHOUT_IP[network.mode];
  return [`adapter ${nic.slot}: ${network.mode}${name}${block}${bridge}${address}${suffix}`, `  ${reachOf(provider, network).summary}`];
}

/** Forwarded ports: bound to 127.0.0.1 unless the config names another host address. */
export function forwardLines(machine: Machine, options: { nicForwards?: boolean } = {}): NetworkLineView[] {
  // libvirt: forwards of nat and natnetwork NICs too; vagrant-libvirt tunnels every forward
  // over SSH to the guest, so the NIC a port is reached through makes no difference there.
  const nicForwards = options.nicForwards ? machine.nics.flatMap((nic) => nic.forwards.map((forward) => ({ forward, via: `adapter ${nic.slot}` }))) : [];
  return [...machine.forwards.map((forward) => ({ forward, via: "" })), ...nicForwards].map(({ forward, via }) => ({
    comment: [`${forward.protocol} ${forward.hostIp}:${forward.host} -> guest ${forward.guest}${via ? ` (the config forwards it through ${via})` : ""}`],
    kind: "forwarded_port",
    options: [
      ["guest", forward.guest],
      ["host", forward.host],
      ["host_ip", forward.hostIp],
      ["protocol", forward.protocol],
      ["id", `${forward.protocol}${forward.guest}-${forward.host}`],
    ],
  }));
}

export function provisionSteps(machine: Machine): { name: string; inline: string }[] {
  return machine.provision.flatMap((step) => (step.type === "shell" && step.inline !== undefined ? [{ name: step.name, inline: step.inline }] : []));
}

/**
 * The options of `config.vm.define`: `autostart: false` (plain `vagrant up` skips the
 * machine: vagrant plugins/commands/up/command.rb, UpCommand#execute, names only the
 * machines whose options have no :autostart or a true one) and `primary: true` (the
 * machine `vagrant ssh` picks: lib/vagrant/vagrantfile.rb, Vagrantfile#primary_machine_name).
 * The options are stored by plugins/kernel_v2/config/vm.rb, VMConfig#define.
 */
export function defineOptions(machine: Machine): OptionPairs {
  const pairs: OptionPairs = [];
  if (!machine.autostart) pairs.push(["autostart", false]);
  if (machine.primary) pairs.push(["primary", true]);
  return pairs;
}
