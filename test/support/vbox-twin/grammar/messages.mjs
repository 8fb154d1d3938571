// The exact error texts VBoxManage prints, per version and host.
//
// - RTMsgError (IPRT message.cpp rtMsgWorker): "<program>: error: <text>\n" where
//   <program> is the executable's file name: "VBoxManage", "VBoxManage.exe" on Windows.
// - errorGetOpt / errorGetOptWorker (VBoxManageHelp.cpp, 6.1.38 l.280/338, 7.1.12
//   l.404/467, and the 6.1 legacy errorGetOptEx l.1314): texts below.  The real tool
//   first prints the logo banner to stderr and afterwards the command's usage; only
//   the error line is reproduced here (`usage: "after"`).
// - errorSyntax: 7.x and the 6.1 "new style" commands (VBoxManageHelp.cpp errorSyntaxV):
//   "<program>: error: <text>" then the brief usage.  6.1 legacy commands
//   (errorSyntax(USAGE_xxx, ...), VBoxManageHelp.cpp 6.1.38 l.1263) print the full
//   usage first and then "\nSyntax error: <text>\n" (`usage: "before"`).
// - errorArgument (VBoxManageHelp.cpp): RTMsgError only, no usage, exit 2 when returned.
import { RC } from "./getopt.mjs";

export const RTEXITCODE = { SUCCESS: 0, FAILURE: 1, SYNTAX: 2 };

export const program = (t) => (t.host === "windows" ? "VBoxManage.exe" : "VBoxManage");
export const errorLine = (t, text) => `${program(t)}: error: ${text}\n`;

/** errorGetOptWorker text for a getopt result (see getopt.mjs). */
export function getOptErrorText(e) {
  switch (e.rc) {
    case RC.NOT_OPTION: return `Invalid parameter '${e.value}'`;
    case RC.UNKNOWN_OPTION: return `Unknown option: ${e.psz}`;
    // For a failed integer conversion RTGetOpt leaves pValueUnion->pDef set, and psz
    // aliases it in the RTGETOPTUNION union: the real tool prints the bytes of the
    // RTGETOPTDEF struct here (garbage).  We print the given argument in angle brackets.
    case RC.INVALID_ARGUMENT_FORMAT: return `Invalid argument format: ${e.psz ?? `<garbage: ${e.value}>`}`;
    // "%s: %Rrs" with pDef->pszLong; %Rrs = the status message from include/iprt/err.h.
    case RC.REQUIRED_ARGUMENT_MISSING: return `${e.row.name}: RTGetOpt: Command line option needs argument.`;
    case RC.INDEX_MISSING: return `${e.row.name}: RTGetOpt: Command line option needs an index.`;
    case "SHORT": return `Invalid option -${e.short}`; // an option the handler's switch does not handle
    default: return String(e.rc);
  }
}

const fail = (exitCode, stderr, extra = {}) => ({ ok: false, exitCode, stderr, ...extra });

/** errorGetOpt(...) as called by a handler; `exitCode` is what the handler returns. */
export const getOptError = (t, e, exitCode = RTEXITCODE.SYNTAX) =>
  fail(exitCode, errorLine(t, getOptErrorText(e)), { usage: "after", logo: true });

/** errorSyntax(...). `legacy61` = the command uses USAGE_xxx in 6.1 (see commands.mjs). */
export function syntaxError(t, text, { legacy61 = false, exitCode = RTEXITCODE.SYNTAX } = {}) {
  if (t.version === "6.1" && legacy61) return fail(exitCode, `\nSyntax error: ${text}\n`, { usage: "before", logo: true });
  return fail(exitCode, errorLine(t, text), { usage: "after", logo: true });
}

/** errorArgument(...) / RTMsgError(...) followed by a return of `exitCode`. */
export const argumentError = (t, text, exitCode = RTEXITCODE.SYNTAX) => fail(exitCode, errorLine(t, text));

/** A command given without any argument: main() prints its usage to stdout, exit 1 (VBoxManage.cpp). */
export const usageOnly = () => fail(RTEXITCODE.FAILURE, "", { stdout: "usage" });
