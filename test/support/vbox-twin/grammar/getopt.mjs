// A faithful model of IPRT's RTGetOpt() (src/VBox/Runtime/common/misc/getopt.cpp,
// identical in behaviour in 6.1.38, 7.0.18 and 7.1.12 for what is modelled here):
//  - rtGetOptSearchLong: options that take a value match "--name", "--name=v",
//    "--name:v"; with RTGETOPT_FLAG_INDEX also "--name<digits>[=|:v]"; options
//    without a value match exactly (or "--name<digits>" when indexed);
//  - then a single-dash short option ("-x", iShort printable), then the standard
//    options --help/-help ('h') and --version/-version ('V') unless
//    RTGETOPTINIT_FLAGS_NO_STD_OPTS;
//  - rtGetOptProcessValue: the per-type value conversion and its error codes.
// Not modelled: alternative unicode dashes, RTGETOPT_FLAG_ICASE (unused by VBoxManage),
// "compressed" short options ("-abc").

export const RC = {
  UNKNOWN_OPTION: "VERR_GETOPT_UNKNOWN_OPTION",
  REQUIRED_ARGUMENT_MISSING: "VERR_GETOPT_REQUIRED_ARGUMENT_MISSING",
  INVALID_ARGUMENT_FORMAT: "VERR_GETOPT_INVALID_ARGUMENT_FORMAT",
  INDEX_MISSING: "VERR_GETOPT_INDEX_MISSING",
  NOT_OPTION: "VINF_GETOPT_NOT_OPTION",
};

const STD_OPTIONS = [ // g_aStdOptions, getopt.cpp
  { name: "--help", short: "h", type: "NOTHING", std: true },
  { name: "-help", short: "h", type: "NOTHING", std: true },
  { name: "--version", short: "V", type: "NOTHING", std: true },
  { name: "-version", short: "V", type: "NOTHING", std: true },
];

function searchLong(arg, rows, noStd) {
  for (const row of rows) {
    const n = row.name;
    if (!arg.startsWith(n)) {
      if (row.type === "NOTHING" && !row.index) continue;
      continue;
    }
    let rest = arg.slice(n.length);
    if (row.type !== "NOTHING") {
      if (row.index) rest = rest.replace(/^\d+/, "");
      if (rest === "" || rest[0] === ":" || rest[0] === "=") return { row, cchMatch: n.length };
    } else if (row.index) {
      if (/^\d*$/.test(rest)) return { row, cchMatch: n.length };
    } else if (rest === "") return { row, cchMatch: n.length };
  }
  if (!noStd) for (const row of STD_OPTIONS) if (arg === row.name) return { row, cchMatch: row.name.length };
  return null;
}

const INT_RANGES = {
  INT8: [-128n, 127n], INT16: [-32768n, 32767n], INT32: [-(2n ** 31n), 2n ** 31n - 1n], INT64: [-(2n ** 63n), 2n ** 63n - 1n],
  UINT8: [0n, 255n], UINT16: [0n, 65535n], UINT32: [0n, 2n ** 32n - 1n], UINT64: [0n, 2n ** 64n - 1n],
};

/** RTStrToXxxFull(psz, base): the whole string must be the number. */
function toInt(s, base, [lo, hi]) {
  const m = base === 16 ? /^\s*([+-]?)(?:0[xX])?([0-9a-fA-F]+)$/.exec(s) : /^\s*([+-]?)(\d+)$/.exec(s);
  if (!m) return null;
  let v = BigInt(base === 16 ? `0x${m[2]}` : m[2]);
  if (m[1] === "-") v = -v;
  return v < lo || v > hi ? null : v;
}

// RTGETOPT_REQ_BOOL keywords with their "may stop here" markers (getopt.cpp s_aKeywords).
const BOOL_KEYWORDS = [
  [true, "true", "+--+"], [true, "yes", "+-+"], [true, "enabled", "++---++"], [true, "on", "-+"], [true, "1", "+"],
  [false, "false", "+---+"], [false, "no", "++"], [false, "disabled", "+-+---++"], [false, "off", "--+"], [false, "0", "+"],
];

/** rtGetOptProcessValue: returns { value } or { rc, psz? } */
export function processValue(row, value) {
  const { type, hex } = row;
  if (type === "STRING") return { value };
  if (type === "BOOL_ONOFF") {
    if (/^on$/i.test(value)) return { value: true };
    if (/^off$/i.test(value)) return { value: false };
    return { rc: RC.UNKNOWN_OPTION, psz: value }; // yes: "Unknown option: <value>"
  }
  if (type === "BOOL") {
    for (const [f, kw, markers] of BOOL_KEYWORDS) {
      const v = value.toLowerCase();
      if (v.length > 0 && kw.startsWith(v) && markers[v.length - 1] === "+") return { value: f };
    }
    return { rc: RC.UNKNOWN_OPTION, psz: value };
  }
  if (INT_RANGES[type]) {
    const range = INT_RANGES[type];
    let v = hex ? toInt(value, 16, range) : toInt(value, 10, range);
    if (v === null && !hex && /^0[xX][0-9a-fA-F]/.test(value)) v = toInt(value, 16, range);
    return v === null ? { rc: RC.INVALID_ARGUMENT_FORMAT } : { value: String(v) };
  }
  if (type === "UINT32_OPTIONAL_PAIR" || type === "UINT32_PAIR") {
    const num = hex ? "(?:0[xX])?[0-9a-fA-F]+" : "(?:0[xX][0-9a-fA-F]+|\\d+)";
    const re = new RegExp(`^(${num})(?:\\s*[:/|]\\s*(${num}))?$`);
    const m = re.exec(value);
    if (!m || (type === "UINT32_PAIR" && !m[2])) return { rc: RC.INVALID_ARGUMENT_FORMAT };
    return { value };
  }
  if (type === "UUID") {
    return /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/.test(value)
      ? { value } : { rc: RC.INVALID_ARGUMENT_FORMAT };
  }
  if (type === "MACADDR") {
    return /^(?:[0-9a-fA-F]{12}|[0-9a-fA-F]{1,2}(?:[:-][0-9a-fA-F]{1,2}){5})$/.test(value)
      ? { value } : { rc: RC.INVALID_ARGUMENT_FORMAT };
  }
  if (type === "IPV4ADDR") {
    return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(value) && value.split(".").every((o) => +o < 256)
      ? { value } : { rc: RC.INVALID_ARGUMENT_FORMAT };
  }
  return { value };
}

/**
 * RTGetOptInit + RTGetOpt.  `rows` are table rows ({name, short, type, index, hex}).
 * Returns an object with next() and fetchValue() (RTGetOptFetchValue).
 */
export function getOpt(argv, iFirst, rows, { noStdOpts = false, optsFirst = false } = {}) {
  const args = argv.slice(iFirst);
  let i = 0;
  const nonOptions = [];
  return {
    get rest() { return args.slice(i); },
    /** index in argv of the next argument (GetState.iNext) */
    get pos() { return iFirst + i; },
    next() {
      for (;;) {
        if (i >= args.length) {
          if (nonOptions.length) return { kind: "nonopt", value: nonOptions.shift() };
          return null;
        }
        const arg = args[i];
        if (arg === "--" ) { // dash-dash: everything after is a non-option
          nonOptions.push(...args.slice(i + 1));
          i = args.length;
          continue;
        }
        let hit = searchLong(arg, rows, noStdOpts);
        let short = false;
        if (!hit && /^-[^-]/.test(arg)) {
          const row = rows.find((r) => r.short === arg[1]) ?? null;
          if (row) { hit = { row, cchMatch: 2 }; short = true; }
        }
        if (optsFirst && !hit) {
          if (arg.startsWith("-")) { i++; return { kind: "error", rc: RC.UNKNOWN_OPTION, psz: arg }; }
          nonOptions.push(arg); i++; continue;
        }
        i++;
        if (!hit) {
          if (arg.startsWith("-")) return { kind: "error", rc: RC.UNKNOWN_OPTION, psz: arg };
          return { kind: "nonopt", value: arg };
        }
        const { row, cchMatch } = hit;
        let index;
        let value;
        if (row.type !== "NOTHING") {
          if (short) {
            if (arg.length === cchMatch) {
              if (i >= args.length) return { kind: "error", rc: RC.REQUIRED_ARGUMENT_MISSING, row, given: arg };
              value = args[i++];
            } else value = arg.slice(cchMatch + (/[:=]/.test(arg[cchMatch]) ? 1 : 0));
          } else if (row.index) {
            const m = /^(\d+)(.*)$/.exec(arg.slice(cchMatch));
            if (!m) return { kind: "error", rc: RC.INDEX_MISSING, row, given: arg };
            index = Number(m[1]);
            if (m[2] === "") {
              if (i >= args.length) return { kind: "error", rc: RC.REQUIRED_ARGUMENT_MISSING, row, given: arg };
              value = args[i++];
            } else value = m[2].slice(1);
          } else if (arg.length === cchMatch) {
            if (i >= args.length) return { kind: "error", rc: RC.REQUIRED_ARGUMENT_MISSING, row, given: arg };
            value = args[i++];
          } else value = arg.slice(cchMatch + 1);
          const pv = processValue(row, value);
          if (pv.rc) return { kind: "error", rc: pv.rc, psz: pv.psz, row, given: arg, value };
          return { kind: "opt", row, given: arg, index, value, parsed: pv.value };
        }
        if (row.index && !short) {
          const digits = arg.slice(cchMatch);
          if (digits === "") return { kind: "error", rc: RC.INDEX_MISSING, row, given: arg };
          index = Number(digits);
        }
        return { kind: "opt", row, given: arg, index };
      }
    },
    /** RTGetOptFetchValue(pState, pValueUnion, RTGETOPT_REQ_STRING) */
    fetchValue() {
      if (i >= args.length) return { rc: RC.REQUIRED_ARGUMENT_MISSING };
      return { value: args[i++] };
    },
  };
}
