// How kvm-lab reaches the libvirt vagrant-libvirt uses: the virsh to run and the connection URI.
// The URI is vagrant-libvirt's: lib/vagrant-libvirt/config.rb finalize! / _default_uri /
// _generate_uri (`uri` when set, as it is for a machine of a lab with hosts; else $LIBVIRT_DEFAULT_URI when no connection setting is;
// else qemu:///system, or qemu:///session with qemu_use_session).
import type { Machine } from "../config/types.js";
import { UsageError } from "../errors.js";

/** The virsh to run: $KVM_LAB_VIRSH, else virsh on PATH. */
export const virshBinary = (env: NodeJS.ProcessEnv = process.env) => env.KVM_LAB_VIRSH ?? "virsh";

/** Settings of vagrant-libvirt's Config that make its URI other than the local default (config.rb _default_uri). */
const CONNECTION_SETTINGS = ["connect_via_ssh", "host", "username", "password", "id_ssh_key_file", "qemu_use_session", "socket"];

/**
 * The libvirt URI vagrant-libvirt connects to for `machine` (its libvirt.options, as config.rb
 * finalizes them); without a machine (one Vagrant made that the config no longer names), the
 * default connection.
 */
export function libvirtUriOf(machine: Pick<Machine, "name" | "libvirt" | "host"> | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // A lab with hosts: the machine's host's URI, which the Vagrantfile sets as libvirt.uri.
  if (machine?.host) return machine.host.uri;
  const options = ((machine?.libvirt as { options?: Record<string, unknown> } | undefined)?.options ?? {}) as Record<string, unknown>;
  if (typeof options.uri === "string") return options.uri;
  const remote = ["connect_via_ssh", "host", "socket", "username", "password", "id_ssh_key_file"].filter((key) => options[key] !== undefined && options[key] !== false);
  if (remote.length) {
    throw new UsageError(`machine ${machine!.name}: kvm-lab reaches local libvirt only, and libvirt.options sets ${remote.join(", ")}`, {
      hint: "set libvirt.options.uri to the full connection URI",
    });
  }
  if (!CONNECTION_SETTINGS.some((key) => options[key] !== undefined) && env.LIBVIRT_DEFAULT_URI) return env.LIBVIRT_DEFAULT_URI;
  return options.qemu_use_session === true ? "qemu:///session" : "qemu:///system";
}
