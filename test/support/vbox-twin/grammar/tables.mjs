// Access to the generated RTGETOPTDEF tables (data/getopt-tables.mjs) for one build.
import { TABLES } from "./data/getopt-tables.mjs";

/**
 * The rows of table `key` ("<file>:<function>:<table>") compiled into the
 * VBoxManage of `t.version` on `t.host`, in source order.
 */
export function rowsFor(key, t) {
  const rows = TABLES[key];
  if (!rows) throw new Error(`no getopt table ${key}`);
  return rows
    .filter((r) => r.hosts[t.version]?.includes(t.host))
    .sort((a, b) => a.pos[t.version] - b.pos[t.version])
    .map((r) => ({ ...r, id: r.id[t.version], line: r.line[t.version] }));
}

/** Normalized option record for the result's `options` array. */
export function optionRecord(hit, canonical) {
  const o = { name: canonical ?? hit.row.name, given: hit.given };
  if (hit.index !== undefined) o.index = hit.index;
  if (hit.value !== undefined) o.value = hit.value;
  return o;
}
