// `VBoxManage modifyvm <uuid|vmname> <options>` - handleModifyVM(), VBoxManageModifyVM.cpp.
//  - argc < 2 (only the VM given): errorSyntax("Not enough parameters"), exit 2.
//  - the VM is looked up BEFORE any option is parsed (state, not grammar: not modelled).
//  - RTGetOptInit(..., g_aModifyVMOptions, ..., 1, RTGETOPTINIT_FLAGS_NO_STD_OPTS): so
//    "--help" is an unknown option; a stray word is "Invalid parameter '<word>'".
//  - getopt errors and value errors set hrc = E_FAIL: the loop stops, the options
//    before were already applied, the settings are NOT saved, exit code 1 (not 2).
//  - NIC options with an out-of-range index print "Invalid NIC number N" and are
//    skipped (parseNum); the command still exits 0 if nothing else fails.
import { MODIFYVM_OPTIONS } from "./modifyvm-options.mjs";
import { VALUE_CHECKS, NIC_INDEXED, CHECK_BEFORE_INDEX } from "./modifyvm-values.mjs";
import { getOpt, RC } from "./getopt.mjs";
import { getOptError, syntaxError, argumentError, errorLine, RTEXITCODE } from "./messages.mjs";
import { buildDefines } from "./build-defines.mjs";

const TYPE_TO_REQ = { string: "STRING", "bool-onoff": "BOOL_ONOFF", bool: "BOOL", uint32: "UINT32", int32: "INT32", int64: "INT64",
  none: "NOTHING", "uint32-optional-pair": "UINT32_OPTIONAL_PAIR", uint64: "UINT64", uint8: "UINT8" };

function rowsFor(t) {
  const rows = [];
  for (const e of MODIFYVM_OPTIONS) {
    for (const [name, line, hosts] of e.spellings[t.version] ?? []) {
      if (hosts.includes(t.host)) rows.push({ name, line, entry: e, type: TYPE_TO_REQ[e.type], index: e.indexed, hex: !!e.hex, id: e.symbol });
    }
  }
  return rows.sort((a, b) => a.line - b.line);
}

/** Max NICs: ISystemProperties::getMaxNetworkAdapters(chipset): 8 for PIIX3 (default), 36 for ICH9. */
const maxNics = (t) => t.maxNics ?? (String(t.chipset ?? "piix3").toLowerCase() === "ich9" ? 36 : 8);

export function parseModifyVM(args, t) {
  if (args.length < 2) return syntaxError(t, "Not enough parameters", { legacy61: true });
  const defines = buildDefines(t.version, t.host);
  const go = getOpt(args, 1, rowsFor(t), { noStdOpts: true });
  const options = [];
  const warnings = [];
  for (let hit; (hit = go.next());) {
    if (hit.kind === "error") return getOptError(t, hit, RTEXITCODE.FAILURE);
    if (hit.kind === "nonopt") return getOptError(t, { rc: RC.NOT_OPTION, value: hit.value }, RTEXITCODE.FAILURE);
    const { entry } = hit.row;
    const opt = { name: entry.name, given: hit.given, ...(hit.index !== undefined ? { index: hit.index } : {}),
      ...(hit.value !== undefined ? { value: hit.value } : {}), symbol: entry.symbol };
    const check = VALUE_CHECKS[entry.symbol];
    const ctx = { t, defines, opt: { ...opt, row: hit.row }, fetch: () => go.fetchValue() };
    let err;
    if (check && CHECK_BEFORE_INDEX.has(entry.symbol)) err = check(hit.value, ctx);
    if (!err && NIC_INDEXED.has(entry.symbol) && !(hit.index >= 1 && hit.index <= maxNics(t))) {
      warnings.push(errorLine(t, `Invalid NIC number ${hit.index}`));
      options.push({ ...opt, ignored: true });
      continue;
    }
    if (!err && check && !CHECK_BEFORE_INDEX.has(entry.symbol)) err = check(hit.value, ctx);
    if (err) {
      const pre = warnings.join("");
      if (err.kind === "syntax") return withPrefix(syntaxError(t, err.text, { legacy61: true }), pre);
      if (err.kind === "arg") return withPrefix(argumentError(t, err.text), pre);
      return withPrefix(argumentError(t, err.text, RTEXITCODE.FAILURE), pre);
    }
    if (ctx.opt.values) { opt.values = ctx.opt.values; delete opt.value; }
    options.push(opt);
  }
  const res = { ok: true, command: "modifyvm", target: args[0], options, positional: [] };
  if (warnings.length) res.stderr = warnings.join("");
  return res;
}

const withPrefix = (r, pre) => (pre ? { ...r, stderr: pre + r.stderr } : r);
