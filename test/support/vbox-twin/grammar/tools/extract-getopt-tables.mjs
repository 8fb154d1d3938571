#!/usr/bin/env node
// Regenerates ../data/getopt-tables.mjs: every RTGETOPTDEF table of the
// VBoxManage sources, per VirtualBox version, with the `#if` guard of each row
// evaluated per host (../build-defines.mjs) and the source line of each row.
//
// Usage: node tools/extract-getopt-tables.mjs <git-dir-of-a-VirtualBox-source-mirror>
// The mirror used (see README.md) is github.com/kaisenlinux/virtualbox, which
// imports the upstream release tarballs; the commits are listed in SOURCES.
// This reads the sources with `git show`; nothing is built or copied.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { buildDefines, evalCondition, HOSTS } from "../build-defines.mjs";

export const SOURCES = {
  "6.1": { release: "6.1.38", commit: "d9dc556c5" },
  "7.0": { release: "7.0.18", commit: "e74ebfb3b" },
  "7.1": { release: "7.1.12", commit: "2652cdbb0" },
};
const DIR = "src/VBox/Frontends/VBoxManage";
// The handler files of the commands this grammar covers.
const KEEP = /^VBoxManage(ModifyVM|NATNetwork|Hostonly|DHCPServer|List|Info|Misc|Snapshot|ControlVM|Appliance|StorageController|Disk|GuestProp)\.cpp$/;

const gitDir = process.argv[2];
if (!gitDir) throw new Error("usage: extract-getopt-tables.mjs <git-dir>");
const git = (...a) => execFileSync("git", ["-C", gitDir, ...a], { encoding: "utf8", maxBuffer: 64 << 20 });

function parseFlags(s) {
  const type = /RTGETOPT_REQ_(\w+)/.exec(s)?.[1] ?? "NOTHING";
  return { type, index: /RTGETOPT_FLAG_INDEX\b/.test(s), hex: /RTGETOPT_FLAG_HEX/.test(s) };
}

/** Scans one source file; returns [{key, rows:[{name, short, id, flags, line, cond}]}] */
function scanFile(file, text) {
  const lines = text.split("\n");
  // function-like macros expanding to option rows, e.g. DHCPD_CMD_COMMON_OPTION_DEFS()
  const macros = {};
  for (const mm of text.matchAll(/#define\s+(\w+)\(\)\s*\\\n((?:.*\\\n)*.*)/g))
    if (/\{\s*"--/.test(mm[2])) macros[mm[1]] = mm[2].replace(/\/\*.*?\*\//g, "");
  const stack = []; // { cond: string, taking: "if"|"else" }
  let func = "";
  let table = null;
  const out = [];
  const condNow = () => stack.map((s) => (s.neg ? `!(${s.expr})` : `(${s.expr})`)).join(" && ") || "1";
  lines.forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, "");
    let m;
    if ((m = /^\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b\s*(.*)$/.exec(line))) {
      const [, d, rest] = m;
      const expr = rest.replace(/\/\*.*?\*\//g, "").trim();
      if (d === "ifdef") stack.push({ expr: `defined(${expr})`, neg: false, prev: [] });
      else if (d === "ifndef") stack.push({ expr: `defined(${expr})`, neg: true, prev: [] });
      else if (d === "if") stack.push({ expr, neg: false, prev: [] });
      else if (d === "elif") {
        const top = stack.at(-1);
        top.prev.push(top.expr);
        top.expr = `${top.prev.map((p) => `!(${p})`).join(" && ")} && (${expr})`;
        top.neg = false;
      } else if (d === "else") {
        const top = stack.at(-1);
        if (top.prev.length) { top.expr = [...top.prev, top.expr].map((p) => `(${p})`).join(" || "); }
        top.neg = !top.neg;
      } else stack.pop();
      return;
    }
    if ((m = /^(?:static\s+)?(?:DECLCALLBACK\(\w+\)|DECLINLINE\(\w+\)|RTEXITCODE|int|HRESULT|void|bool)\s+\**(\w+)\s*\([^;]*$/.exec(raw))) func = m[1];
    if (/^}/.test(raw) && !table) func = "";
    let body = line;
    if ((m = /RTGETOPTDEF\s+(?:const\s+)?(\w+)\s*\[\s*\](?!\s*;)/.exec(line))) {
      table = { key: `${file}:${func}:${m[1]}`, rows: [] };
      out.push(table);
      body = line.slice(m.index + m[0].length);
    }
    if (!table) return;
    const macro = /(\w+)\(\)/.exec(body);
    if (macro && macros[macro[1]]) body = macros[macro[1]];
    const end = /\};/.test(body);
    const cond = condNow();
    const push = (name, id, flags) => {
      const sm = /^'(.)'$/.exec(id.trim());
      table.rows.push({ name, short: sm ? sm[1] : null, id: id.trim(), flags: parseFlags(flags), line: i + 1, cond });
    };
    const lineText = body;
    if ((m = /OPT2\(\s*"([^"]+)"\s*,\s*"([^"]+)"\s*,\s*([^,]+),\s*([^)]*(?:\)[^)]*)*)\)/.exec(lineText))) {
      push(m[1], m[3], m[4]);
      push(m[2], m[3], m[4]);
    } else if ((m = /OPT1\(\s*"([^"]+)"\s*,\s*([^,]+),\s*(.*)\)/.exec(lineText))) {
      push(m[1], m[2], m[3]);
    } else {
      for (const e of lineText.matchAll(/\{\s*"([^"]*)"\s*,\s*([^,]+?)\s*,\s*([^}]+?)\s*\}/g)) push(e[1], e[2], e[3]);
    }
    if (end) table = null;
  });
  return out;
}

const merged = new Map(); // key -> Map(rowKey -> row)
for (const [ver, src] of Object.entries(SOURCES)) {
  const files = git("ls-tree", "--name-only", `${src.commit}:${DIR}`).split("\n").filter((f) => KEEP.test(f));
  const defs = Object.fromEntries(HOSTS.map((h) => [h, buildDefines(ver, h)]));
  for (const f of files) {
    for (const t of scanFile(f, git("show", `${src.commit}:${DIR}/${f}`))) {
      if (!merged.has(t.key)) merged.set(t.key, new Map());
      const rows = merged.get(t.key);
      const seen = new Map();
      for (const r of t.rows) {
        const hosts = HOSTS.filter((h) => evalCondition(r.cond, defs[h]));
        const base = `${r.name}|${r.flags.type}|${r.flags.index}|${r.flags.hex}|${r.short ?? r.id}`;
        const n = (seen.get(base) ?? 0) + 1; // duplicate rows (same name twice) stay distinct
        seen.set(base, n);
        const k = `${base}|${n}`;
        if (!rows.has(k)) rows.set(k, { name: r.name, short: r.short, ...r.flags, id: {}, line: {}, pos: {}, hosts: {}, cond: {} });
        const row = rows.get(k);
        row.id[ver] = r.id;
        row.line[ver] = r.line;
        row.pos[ver] = t.rows.indexOf(r);
        row.hosts[ver] = hosts;
        if (r.cond !== "1") row.cond[ver] = r.cond;
      }
    }
  }
}

const tables = {};
for (const [key, rows] of [...merged].sort(([a], [b]) => a.localeCompare(b))) tables[key] = [...rows.values()];
const header = `// GENERATED by tools/extract-getopt-tables.mjs - do not edit by hand.
// Every RTGETOPTDEF table of the VBoxManage handler files listed in KEEP, keyed
// "<file>:<enclosing function>:<table>", one row per option spelling, with for
// each VirtualBox version the source line, the enum constant (id), the hosts
// whose official build compiles the row (#if guards, see build-defines.mjs)
// and the guard text (cond); pos = the row's position in the table.  type = RTGETOPT_REQ_<type>; index = RTGETOPT_FLAG_INDEX.
`;
writeFileSync(new URL("../data/getopt-tables.mjs", import.meta.url),
  `${header}export const SOURCES = ${JSON.stringify(SOURCES)};\n\nexport const TABLES = ${JSON.stringify(tables, null, 0).replace(/\],"/g, '],\n"').replace(/\},\{/g, "},\n  {")};\n`);
console.log(`wrote ${Object.keys(tables).length} tables`);
