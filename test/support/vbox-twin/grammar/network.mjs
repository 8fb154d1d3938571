// Grammar of the host-networking commands: natnetwork, hostonlyif, hostonlynet,
// dhcpserver.  Each function cites the handler it mirrors (line numbers 7.1.12).
import { getOpt, RC } from "./getopt.mjs";
import { rowsFor } from "./tables.mjs";
import { getOptError, syntaxError, argumentError } from "./messages.mjs";

const canon = (hit) => {
  const o = { name: hit.row.canonical ?? hit.row.name, given: hit.given };
  if (hit.index !== undefined) o.index = hit.index;
  if (hit.value !== undefined) o.value = hit.value;
  return o;
};
// Canonical spellings where a table has several for one option (same iShort).
const withCanon = (rows, map) => rows.map((r) => ({ ...r, canonical: map[r.short ?? r.id] ?? r.name }));

/** VBoxManageNATNetwork.cpp handleNATNetwork (l.609) / handleOp (l.213) / handleNATList (l.172). */
export function parseNATNetwork(args, t) {
  const legacy61 = true; // 6.1: errorSyntax(USAGE_NATNETWORK, ...)
  if (args.length < 1) return syntaxError(t, "Not enough parameters", { legacy61 });
  const sub = args[0];
  if (sub === "list") return { ok: true, command: "natnetwork", subcommand: "list", options: [], positional: args.slice(1, 2) };
  if (!["modify", "add", "remove", "start", "stop"].includes(sub)) return syntaxError(t, `Invalid parameter '${sub}'`, { legacy61 });
  if (args.length - 1 <= 1) return syntaxError(t, "Not enough parameters", { legacy61 });
  let rows = withCanon(rowsFor("VBoxManageNATNetwork.cpp:handleOp:g_aNATNetworkIPOptions", t),
    { n: "--network", 6: "--ipv6" });
  if (sub === "remove") rows = rows.slice(0, 4); // "we use only --netname and --ifname for remove"
  const go = getOpt(args, 1, rows, { noStdOpts: true });
  const options = [];
  const seen = new Set();
  const once = { t: "You can only specify --netname only once.", n: "You can only specify --network only once.",
    e: "You can specify either --enable or --disable once.", d: "You can specify either --enable or --disable once.",
    h: "You can specify --dhcp only once.", 6: "You can specify --ipv6 only once." };
  for (let hit; (hit = go.next());) {
    if (hit.kind === "error") return getOptError(t, hit);
    if (hit.kind === "nonopt") return getOptError(t, { rc: RC.NOT_OPTION, value: hit.value });
    const k = hit.row.short ?? hit.row.id;
    const key = k === "d" ? "e" : k;
    if (once[k] && seen.has(key)) return syntaxError(t, once[k], { legacy61 });
    seen.add(key);
    const o = canon(hit);
    if ("pP".includes(k) && hit.value !== "delete") {
      // VBoxNetPortForwardString.cpp netPfStrToPf: "[name]:proto:[hostip]:hostport:[guestip]:guestport"
      if (!/^[^:]*:(tcp|udp):[^:]*:\d+:[^:]*:\d+$/i.test(hit.value.replace(/\[[^\]]*\]/g, "x")))
        return syntaxError(t, `Invalid port-forward rule ${hit.value}\n`.replace(/\n$/, ""), { legacy61 });
    } else if ("pPlL".includes(k) && hit.value === "delete") {
      const f = go.fetchValue();
      if (f.rc) return syntaxError(t, "Not enough parаmeters", { legacy61 }); // sic: Cyrillic 'а' in 7.x source
      o.values = ["delete", f.value];
      delete o.value;
    }
    options.push(o);
  }
  if (!seen.has("t")) return syntaxError(t, "You need to specify the --netname option", { legacy61 });
  if (sub === "add" && !seen.has("n")) return syntaxError(t, "You need to specify the --network option", { legacy61 });
  return { ok: true, command: "natnetwork", subcommand: sub, options, positional: [] };
}

/** VBoxManageHostonly.cpp handleHostonlyIf (l.275): ipconfig (l.179), create (l.62), remove (l.118). */
export function parseHostonlyIf(args, t) {
  const legacy61 = true; // 6.1: USAGE_HOSTONLYIFS
  if (args.length < 1) return syntaxError(t, "No sub-command specified", { legacy61 });
  const sub = args[0];
  if (sub === "ipconfig") {
    const rows = withCanon(rowsFor("VBoxManageHostonly.cpp::g_aHostOnlyIPOptions", t),
      { d: "--dhcp", a: "--ip", m: "--netmask", b: "--ipv6", l: "--netmasklengthv6" });
    const go = getOpt(args, 1, rows, { noStdOpts: true });
    const options = [];
    let name;
    for (let hit; (hit = go.next());) {
      if (hit.kind === "error") return getOptError(t, hit);
      if (hit.kind === "nonopt") {
        if (name !== undefined) return syntaxError(t, "Only one interface name can be specified", { legacy61 });
        name = hit.value;
        continue;
      }
      options.push(canon(hit));
    }
    const has = (n) => options.some((o) => o.name === n);
    if (has("--dhcp") && (has("--ip") || has("--netmask") || has("--ipv6") || has("--netmasklengthv6")))
      return syntaxError(t, "You can not use --dhcp with static ip configuration parameters: --ip, --netmask, --ipv6 and --netmasklengthv6.", { legacy61 });
    if ((has("--ip") || has("--netmask")) && (has("--ipv6") || has("--netmasklengthv6")))
      return syntaxError(t, "You can not use ipv4 configuration (--ip and --netmask) with ipv6 (--ipv6 and --netmasklengthv6) simultaneously.", { legacy61 });
    // (the interface lookup happens here; then:)
    if (!has("--dhcp") && !has("--ip") && !has("--ipv6"))
      return { ...syntaxError(t, "Neither -dhcp nor -ip nor -ipv6 was specfified", { legacy61 }), afterLookup: true };
    return { ok: true, command: "hostonlyif", subcommand: "ipconfig", target: name, options, positional: [] };
  }
  if (sub === "create" || sub === "remove") { // #if defined(VBOX_WITH_NETFLT) && !defined(RT_OS_SOLARIS)
    const rows = sub === "create" ? rowsFor("VBoxManageHostonly.cpp::g_aHostOnlyCreateOptions", t) : [];
    const go = getOpt(args, 1, rows, { noStdOpts: true });
    const options = [];
    const positional = [];
    for (let hit; (hit = go.next());) {
      if (hit.kind === "error") return getOptError(t, hit);
      if (hit.kind === "nonopt") {
        if (sub === "create") return getOptError(t, { rc: RC.NOT_OPTION, value: hit.value });
        if (positional.length) return syntaxError(t, "Only one interface name can be specified", { legacy61 });
        positional.push(hit.value);
        continue;
      }
      options.push(canon(hit));
    }
    if (sub === "remove" && !positional.length) return syntaxError(t, "No interface name was specified", { legacy61 });
    return { ok: true, command: "hostonlyif", subcommand: sub, ...(positional[0] ? { target: positional[0] } : {}), options, positional };
  }
  return syntaxError(t, `Unknown sub-command '${sub}'`, { legacy61 });
}

/** VBoxManageHostonly.cpp handleHostonlyNet (l.521, #ifdef VBOX_WITH_VMNET: darwin 7.x only). */
export function parseHostonlyNet(args, t) {
  if (args.length < 1) return syntaxError(t, "No sub-command specified");
  const sub = args[0];
  if (!["add", "modify", "remove"].includes(sub)) return syntaxError(t, `Unknown sub-command '${sub}'`);
  const key = sub === "remove" ? "VBoxManageHostonly.cpp:handleNetRemove:s_aOptions"
    : "VBoxManageHostonly.cpp:createUpdateHostOnlyNetworkParse:s_aOptions";
  const rows = withCanon(rowsFor(key, t), { l: "--lower-ip", u: "--upper-ip" });
  const go = getOpt(args, 1, rows);
  const options = [];
  for (let hit; (hit = go.next());) {
    if (hit.kind === "error") return getOptError(t, hit);
    if (hit.kind === "nonopt") return syntaxError(t, `Unknown subcommand: ${hit.value}`); // errorUnknownSubcommand
    options.push(canon(hit));
  }
  const has = (n) => options.some((o) => o.name === n);
  if (sub === "add") {
    for (const [n, m] of [["--name", "--name"], ["--netmask", "--netmask"], ["--lower-ip", "--lower-ip"], ["--upper-ip", "--upper-ip"]])
      if (!has(n)) return argumentError(t, `The ${m} parameter must be specified`);
  } else if (!has("--name") && !has("--id")) return argumentError(t, "Either --name or --id parameter must be specified");
  return { ok: true, command: "hostonlynet", subcommand: sub, options, positional: [] };
}

/** VBoxManageDHCPServer.cpp handleDHCPServer (l.1285) and dhcpdHandleAddAndModify (l.359) etc. */
export function parseDHCPServer(args, t) {
  const common = { 999: "--network", 998: "--interface" };
  const canonMap = { ...common, DHCPD_CMD_COMMON_OPT_NETWORK: "--network", DHCPD_CMD_COMMON_OPT_INTERFACE: "--interface",
    a: "--server-ip", l: "--lower-ip", u: "--upper-ip" };
  const options = [];
  const pre = getOpt(args, 0, withCanon(rowsFor("VBoxManageDHCPServer.cpp:handleDHCPServer:s_CommonOptions", t), canonMap));
  const check = (hit) => {
    const n = hit.row.canonical;
    const other = n === "--network" ? "--interface" : "--network";
    if ((n === "--network" || n === "--interface") && options.some((o) => o.name === other))
      return syntaxError(t, n === "--network" ? "Either --network or --interface, not both" : "Either --interface or --network, not both");
    return null;
  };
  // s_aCmdDefs: 6.1.38 l.1168 has add/modify/remove/restart/findlease; 7.x adds start/stop.
  const subs = { add: "dhcpdHandleAddAndModify", modify: "dhcpdHandleAddAndModify", remove: "dhcpdHandleRemove",
    restart: "dhcpdHandleRestart", findlease: "dhcpdHandleFindLease",
    ...(t.version !== "6.1" ? { start: "dhcpdHandleStart", stop: "dhcpdHandleStop" } : {}) };
  for (let hit; (hit = pre.next());) {
    if (hit.kind === "error") return getOptError(t, hit);
    if (hit.kind === "opt") { const e = check(hit); if (e) return e; options.push(canon(hit)); continue; }
    const sub = hit.value;
    if (!subs[sub]) return syntaxError(t, `Unknown subcommand: ${sub}`);
    const rest = args.slice(pre.pos - 1);
    const go = getOpt(rest, 1, withCanon(rowsFor(`VBoxManageDHCPServer.cpp:${subs[sub]}:s_aOptions`, t), canonMap));
    for (let h; (h = go.next());) {
      if (h.kind === "error") return getOptError(t, h);
      if (h.kind === "nonopt") return getOptError(t, { rc: RC.NOT_OPTION, value: h.value });
      const e = check(h);
      if (e) return e;
      options.push(canon(h));
    }
    const has = (n) => options.some((o) => o.name === n);
    if (sub !== "findlease" && !has("--network") && !has("--interface"))
      return syntaxError(t, "You need to specify either --network or --interface to identify the DHCP server");
    if (sub === "add") { // each missing one is reported (rcExit = errorSyntax(...) four times)
      const missing = [["--server-ip", "--ip"], ["--netmask", "--netmask"], ["--lower-ip", "--lowerip"], ["--upper-ip", "--upperip"]]
        .filter(([n]) => !has(n)).map(([, m]) => syntaxError(t, `Missing required option: ${m}`));
      if (missing.length) return { ...missing[0], stderr: missing.map((m) => m.stderr).join("") };
    }
    return { ok: true, command: "dhcpserver", subcommand: sub, options, positional: [] };
  }
  return syntaxError(t, "No subcommand specified");
}
