// libvirt connection URIs of a lab's hosts (`hosts.<name>.uri`): parsed, and judged against
// what kvm-lab can drive. Two forms are taken: `qemu:///system` (this machine's system
// libvirtd) and `qemu+ssh://[user@]host[:port]/system[?params]` (another machine's, over SSH,
// which kvm-lab also uses for that host's tunnels and checks).
//
// Upstream facts, each used below:
// - libvirt docs/uri.rst ("Remote URIs", "Transport configuration"): the general form
//   `driver[+transport]://[username@][hostname][:port]/[path][?extraparameters]`; a URI with
//   neither transport nor hostname is local; a hostname without a transport means TLS; the
//   ssh transport's parameters are name (every transport), mode, proxy, command, socket,
//   netcat, keyfile, no_verify, no_tty; the unix transport's (the local one) name, mode and
//   socket; values are URI-escaped; mode is auto|direct|legacy, proxy auto|netcat|native, and
//   netcat is not permitted with proxy native.
// - libvirt src/remote/remote_driver.c doRemoteOpen: no_verify and no_tty are read with
//   EXTRACT_URI_ARG_BOOL (a whole number, non-zero = set).
// - vagrant-libvirt 0.11.2 lib/vagrant-libvirt/config.rb finalize_from_uri: from `uri` it
//   derives connect_via_ssh (the scheme contains "ssh"), qemu_use_session (the path contains
//   "session"), host and port (always, over any set), username (when the URI has one),
//   id_ssh_key_file (the keyfile parameter) and system_uri (the path set to /system);
//   resolve_ssh_key_file puts a keyfile without a leading "/" under $HOME/.ssh/, while
//   libvirt's ssh takes it relative to the working folder; finalize_proxy_command writes
//   host, username and key file into the SSH proxy command to the guests inside single quotes.
// - vagrant-libvirt 0.11.2 lib/vagrant-libvirt/action/create_networks.rb call: under
//   qemu_use_session it creates no network and returns.
import { closest } from "./suggest.js";
import { parseIpv4 } from "../net/ipv4.js";

/** A URI kvm-lab can drive, taken apart. */
export interface LibvirtUri {
  /** As written. */
  text: string;
  /** `qemu:///system`: this machine's libvirtd; else a remote one over ssh. */
  local: boolean;
  /** ssh: the user name, when the URI has one (else ssh's own default). */
  user?: string;
  /** ssh: the host name or address (an IPv6 address without its brackets). */
  host?: string;
  /** ssh: the port, when the URI has one (else ssh's own default, 22). */
  port?: number;
  /** The query parameters, decoded. */
  params: Record<string, string>;
}

export type UriParse = { ok: true; uri: LibvirtUri } | { ok: false; message: string; fix: string };

/** The transports kvm-lab does not drive, and why the fix is qemu+ssh. */
const SSH_FIX = "use qemu+ssh: kvm-lab reaches remote hosts over SSH for their tunnels and checks (qemu+ssh://user@host/system)";
const LOCAL = "qemu:///system";
const EXAMPLES = `write ${LOCAL} for this machine, or qemu+ssh://user@host/system for another`;

/** Query parameters per transport (libvirt docs/uri.rst "Transport configuration"). */
const SSH_PARAMS = ["name", "mode", "proxy", "command", "socket", "netcat", "keyfile", "no_verify", "no_tty"] as const;
const LOCAL_PARAMS = ["name", "mode", "socket"] as const;
const PARAM_VALUES: Record<string, readonly string[]> = { mode: ["auto", "direct", "legacy"], proxy: ["auto", "netcat", "native"] };
const WHOLE_NUMBER_PARAMS = ["no_verify", "no_tty"];

/** Other transports of libvirt's remote driver (docs/uri.rst), refused with the qemu+ssh fix. */
const OTHER_TRANSPORTS = ["tcp", "tls", "libssh", "libssh2", "ext"];

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

const fail = (message: string, fix: string): UriParse => ({ ok: false, message, fix });

/** A host's URI taken apart, or what is wrong with it and the fix (each refusal says why). */
export function parseLibvirtUri(text: string): UriParse {
  const shown = JSON.stringify(text);
  if (text === "") return fail("is empty", EXAMPLES);
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return fail(`${shown} has spaces or control characters`, EXAMPLES);
  const scheme = /^([A-Za-z][A-Za-z0-9.+-]*):(.*)$/s.exec(text);
  if (!scheme) return fail(`${shown} is not a libvirt URI`, EXAMPLES);
  const [driver, transport, ...more] = scheme[1].split("+");
  if (more.length) return fail(`${shown} has more than one transport`, EXAMPLES);
  if (driver !== "qemu") {
    const meant = driver.toLowerCase() === "qemu" || driver === "kvm";
    return fail(
      `"${driver}" is not libvirt's QEMU/KVM driver, which runs the lab's machines`,
      meant ? `write "qemu" (libvirt's name for the QEMU/KVM driver): ${EXAMPLES}` : EXAMPLES,
    );
  }
  const rest = /^\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/s.exec(scheme[2]);
  if (!rest) return fail(`${shown} has no "//" after "${scheme[1]}:"`, EXAMPLES);
  const [, authority, path, query, fragment] = rest;
  if (fragment !== undefined) return fail(`${shown} has a fragment (${fragment}), which libvirt URIs do not`, `remove ${fragment}`);

  if (transport !== undefined && transport !== "ssh") {
    if (transport === "unix") return fail(`${shown} is this machine's libvirtd spelled with the unix transport`, `write ${LOCAL}`);
    if (OTHER_TRANSPORTS.includes(transport)) return fail(`the ${transport} transport is not one kvm-lab drives`, SSH_FIX);
    return fail(`"${transport}" is not a transport of libvirt's (ssh, ${OTHER_TRANSPORTS.join(", ")}, unix)`, SSH_FIX);
  }
  if (transport === undefined && authority !== "") {
    // docs/uri.rst: "xen://towada/system — Connect to a remote Xen hypervisor on host towada using TLS".
    return fail(`${shown} names a host without a transport, which libvirt reaches over TLS, a transport kvm-lab does not drive`, SSH_FIX);
  }
  const pathProblem = checkPath(path);
  if (pathProblem) return pathProblem;

  const params = parseQuery(query ?? "");
  if (!params.ok) return params;
  const local = transport === undefined;
  const paramProblem = checkParams(params.values, local);
  if (paramProblem) return paramProblem;
  if (local) return { ok: true, uri: { text, local, params: params.values } };

  const where = parseAuthority(authority);
  if (!where.ok) return where;
  return { ok: true, uri: { text, local, ...where.value, params: params.values } };
}

function checkPath(path: string): UriParse | undefined {
  if (path === "/system") return undefined;
  if (path === "/session") {
    return fail(
      "/session is libvirt's per-user session, where vagrant-libvirt creates no networks (create_networks.rb returns under qemu_use_session, which config.rb finalize_from_uri sets from the path)",
      "use /system",
    );
  }
  return fail(`${path ? `the path "${path}"` : "no path"}: libvirt's QEMU driver is /system (or /session)`, "end the URI with /system");
}

function parseQuery(query: string): { ok: true; values: Record<string, string> } | { ok: false; message: string; fix: string } {
  const values: Record<string, string> = {};
  for (const pair of query.split("&").filter(Boolean)) {
    const at = pair.indexOf("=");
    const [rawKey, rawValue] = at < 0 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey);
      value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      return { ok: false, message: `the parameter "${pair}" is not URI-escaped`, fix: "write % as %25 (libvirt's parameter values are URI-escaped)" };
    }
    if (key in values) return { ok: false, message: `the parameter ${key} is given twice`, fix: "keep one" };
    values[key] = value;
  }
  return { ok: true, values };
}

function checkParams(params: Record<string, string>, local: boolean): UriParse | undefined {
  const known: readonly string[] = local ? LOCAL_PARAMS : SSH_PARAMS;
  for (const [key, value] of Object.entries(params)) {
    if (!known.includes(key)) {
      const meant = closest(key, known);
      return fail(
        `"${key}" is not a parameter of libvirt's ${local ? "local (unix)" : "ssh"} transport (docs/uri.rst)`,
        meant ? `did you mean "${meant}"?` : `use ${known.join(", ")}`,
      );
    }
    const allowed = PARAM_VALUES[key];
    if (allowed && !allowed.includes(value)) return fail(`${key}=${value} is not one of ${allowed.join(", ")}`, `use ${key}=${allowed[0]} or leave it out`);
    if (WHOLE_NUMBER_PARAMS.includes(key) && !/^-?\d+$/.test(value)) return fail(`${key}=${value} is not a whole number`, `use ${key}=1`);
    if (key === "name" && value !== LOCAL) return fail(`name=${value} would open another driver than the host's system libvirtd`, "remove name");
    if (key === "keyfile") {
      if (!value.startsWith("/")) {
        return fail(
          `keyfile=${value} is relative: vagrant-libvirt reads it under ~/.ssh/ (config.rb resolve_ssh_key_file), libvirt's ssh relative to the working folder`,
          "give the key's absolute path",
        );
      }
      if (value.includes("'")) return fail(`keyfile=${value} has a single quote, which breaks vagrant-libvirt's SSH proxy command (config.rb finalize_proxy_command)`, "use a path without quotes");
    }
  }
  if (params.netcat !== undefined && params.proxy === "native") return fail("netcat is not permitted with proxy=native (docs/uri.rst)", "remove netcat, or use proxy=netcat");
  return undefined;
}

function parseAuthority(authority: string): { ok: true; value: Pick<LibvirtUri, "user" | "host" | "port"> } | { ok: false; message: string; fix: string } {
  const at = authority.lastIndexOf("@");
  const userInfo = at < 0 ? undefined : authority.slice(0, at);
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  if (userInfo !== undefined) {
    if (userInfo.includes(":")) return { ok: false, message: "has a password, which libvirt's ssh transport does not take from the URI", fix: "remove it: log in with a key (keyfile=/path, or ssh-agent)" };
    if (!USER.test(userInfo)) return { ok: false, message: `"${userInfo}" is not a user name`, fix: "use letters, digits, '.', '_' and '-'" };
  }
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(hostPort);
  const [host, port] = bracketed ? [bracketed[1], bracketed[2]] : hostPort.split(/:(.*)/s, 2);
  if (!host) return { ok: false, message: "names no host to reach over ssh", fix: "write qemu+ssh://user@host/system" };
  const hostOk = bracketed ? IPV6.test(host) : parseIpv4(host) !== undefined || (HOST_NAME.test(host) && !/^[\d.]+$/.test(host));
  if (!hostOk) return { ok: false, message: `"${host}" is not a host name or address`, fix: bracketed ? "write an IPv6 address in brackets: [2001:db8::1]" : "use a host name (letters, digits, '-', '.') or an address" };
  let portNumber: number | undefined;
  if (port !== undefined) {
    portNumber = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
    if (!(portNumber >= 1 && portNumber <= 65535)) return { ok: false, message: `"${port}" is not a port`, fix: "use 1 to 65535, or leave it out for ssh's 22" };
  }
  return { ok: true, value: { ...(userInfo !== undefined ? { user: userInfo } : {}), host, ...(portNumber !== undefined ? { port: portNumber } : {}) } };
}

/** The libvirtd a URI reaches, for telling two hosts apart: this machine's, or the ssh host's (and port and socket). */
export function libvirtIdentity(uri: LibvirtUri): string {
  if (uri.local) return "local";
  return `${uri.host!.toLowerCase()}:${uri.port ?? 22}${uri.params.socket ? `:${uri.params.socket}` : ""}`;
}
