// A libvirt connection URI read as kvm-lab needs it: this machine's libvirt, or another
// host's reached over SSH, with the SSH settings libvirt's ssh transport takes from the URI.
// libvirt: docs/uri.rst ("Remote URIs": driver[+transport]://[username@][hostname][:port]/[path][?extraparameters];
// extra parameters keyfile, no_verify, socket, ...; transports unix, ssh, libssh, libssh2, tcp, tls, ext),
// src/remote/remote_driver.c doRemoteOpen. vagrant-libvirt 0.11.2 config.rb finalize_from_uri takes
// host, port, user and the keyfile parameter from the same URI for its proxy command.

export type HostUri =
  | { kind: "local"; text: string }
  | {
      kind: "ssh";
      text: string;
      host: string;
      user?: string;
      port?: number;
      /** libvirt's `keyfile` parameter: the identity ssh uses. */
      keyfile?: string;
      /** libvirt's `no_verify=1`: ssh with StrictHostKeyChecking=no. */
      noVerify: boolean;
    };

/** Why a URI cannot be a lab host's, with the fix; undefined when it can. */
export interface UriRefusal {
  message: string;
  fix: string;
}

const LOCAL_SYSTEM = /^qemu:\/\/\/system$/;

/** Reads a host's URI; a refusal for what kvm-lab cannot drive (session, other transports, no host). */
export function parseHostUri(text: string): HostUri | UriRefusal {
  if (LOCAL_SYSTEM.test(text)) return { kind: "local", text };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { message: `${JSON.stringify(text)} is not a libvirt URI`, fix: "write qemu:///system (this machine) or qemu+ssh://user@host/system" };
  }
  const [driver, transport] = url.protocol.replace(/:$/, "").split("+");
  if (driver !== "qemu") return { message: `${text} is not a QEMU/KVM URI (driver ${driver})`, fix: "vagrant-libvirt's machines are QEMU domains: use qemu:///system or qemu+ssh://user@host/system" };
  if (url.pathname === "/session") {
    return { message: `${text} is a session (unprivileged) libvirt`, fix: "use /system: vagrant-libvirt creates no networks on a session connection (create_networks.rb skips them with qemu_use_session)" };
  }
  if (url.pathname !== "/system") return { message: `${text} has the path ${url.pathname || "(none)"}`, fix: "end the URI with /system" };
  if (!transport && !url.hostname) return { message: `${text} names no host`, fix: "qemu:///system for this machine, qemu+ssh://user@host/system for another" };
  if (transport !== "ssh") {
    return {
      message: `${text} uses the ${transport ?? "tls"} transport${transport ? "" : " (libvirt's default with a host name)"}`,
      fix: `use qemu+ssh://${url.username ? `${url.username}@` : ""}${url.host}/system: kvm-lab reaches other hosts over SSH for their tunnels and checks`,
    };
  }
  if (!url.hostname) return { message: `${text} names no host`, fix: "qemu+ssh://user@host/system" };
  const params = url.searchParams;
  return {
    kind: "ssh",
    text,
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(params.get("keyfile") ? { keyfile: params.get("keyfile")! } : {}),
    noVerify: params.get("no_verify") === "1",
  };
}

/** Whether parseHostUri gave a URI (not a refusal). */
export function isHostUri(value: HostUri | UriRefusal): value is HostUri {
  return "kind" in value;
}
