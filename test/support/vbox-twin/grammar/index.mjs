// parseCommand(argv, {version, host}): would VBoxManage <argv> be accepted by the
// real VBoxManage of that version on that host?  See README.md.
//
// main() of VBoxManage.cpp (6.1.38 l.380, 7.1.12 l.560): global options first
// (help, --version, -q/--nologo, -d, --settingspw[file], @response-file), then the
// command is looked up by exact strcmp in g_aCommands; an unknown one gives
// "Invalid command '<x>'" (errorSyntax, exit 2); a known one without any further
// argument prints its usage to stdout and exits 1.
import { COMMANDS } from "./command-table.mjs";
import { parseModifyVM } from "./modifyvm.mjs";
import { parseNATNetwork, parseHostonlyIf, parseHostonlyNet, parseDHCPServer } from "./network.mjs";
import { parseList, parseControlVM, parseSnapshot, parseSharedFolder, parseGuestProperty, GENERIC, parseGeneric, parseByCount } from "./commands.mjs";
import { syntaxError, usageOnly, RTEXITCODE, argumentError } from "./messages.mjs";
import { VERSIONS, HOSTS } from "./build-defines.mjs";

const PARSERS = {
  modifyvm: parseModifyVM, natnetwork: parseNATNetwork, hostonlyif: parseHostonlyIf, hostonlynet: parseHostonlyNet,
  dhcpserver: parseDHCPServer, list: parseList, controlvm: parseControlVM, snapshot: parseSnapshot,
  sharedfolder: parseSharedFolder, guestproperty: parseGuestProperty,
  getextradata: (a, t) => parseByCount("getextradata", a, t), setextradata: (a, t) => parseByCount("setextradata", a, t),
  discardstate: (a, t) => parseByCount("discardstate", a, t),
};

/**
 * @param {string[]} argv  the arguments after "VBoxManage"
 * @param {{version: "6.1"|"7.0"|"7.1", host: "linux"|"darwin"|"windows", chipset?: string, maxNics?: number}} target
 */
export function parseCommand(argv, target) {
  const t = { ...target, version: String(target.version), host: target.host };
  if (!VERSIONS.includes(t.version) || !HOSTS.includes(t.host)) throw new Error(`unsupported target ${JSON.stringify(target)}`);
  const global = [];
  let i = 0;
  let help = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (["help", "--help", "-?", "-h", "-help"].includes(a)) {
      if (i >= argv.length - 1) return { ok: true, command: "help", options: global, positional: [] };
      help = true; continue;
    }
    if (["-V", "--version", "-v", "-version", "-Version"].includes(a)) return { ok: true, command: "--version", options: [...global, { name: "--version", given: a }], positional: [] };
    if (a === "--dumpopts" || a === "-dumpopts") return { ok: true, command: "--dumpopts", options: global, positional: [] };
    if (a === "--nologo" || a === "-q" || a === "-nologo") { global.push({ name: "--nologo", given: a }); continue; }
    if (a === "--detailed-progress" || a === "-d") { global.push({ name: "--detailed-progress", given: a }); continue; }
    if (a === "--settingspw" || a === "--settingspwfile") {
      if (i >= argv.length - 1) return argumentError(t, a === "--settingspw" ? "Password expected" : "No password file specified", RTEXITCODE.FAILURE);
      global.push({ name: a, given: a, value: argv[++i] }); continue;
    }
    if (a.startsWith("@")) { global.push({ name: "@", given: a, value: a.slice(1) }); continue; } // response file: not expanded here
    break;
  }
  if (i >= argv.length) return { ok: true, command: "help", options: global, positional: [] };
  const command = argv[i];
  const args = argv.slice(i + 1);
  const entry = COMMANDS.find((c) => c.name === command && c.versions.includes(t.version) && c.hosts.includes(t.host));
  if (!entry) {
    if (command === "commands") return { ok: true, command: "commands", options: global, positional: [] };
    return syntaxError(t, `Invalid command '${command}'`, { legacy61: true });
  }
  if (help || (args.length === 0 && command !== "internalcommands")) {
    return help ? { ok: true, command, help: true, options: global, positional: args } : usageOnly();
  }
  const parse = PARSERS[command] ?? (GENERIC[command] ? (a, tt) => parseGeneric(command, a, tt) : null);
  if (!parse) return { ok: true, command, options: global, positional: args, unchecked: true };
  const r = parse(args, t);
  if (r.ok && global.length) r.options = [...global, ...r.options];
  return r;
}

export { COMMANDS } from "./command-table.mjs";
