// Ruby hash literals with string keys, for config values that are hashes (a shell step's
// env, an Ansible step's extra_vars and groups): keys and values alike are literals built
// by ruby.ts, so no config text is ever Ruby code.
import type { ExtraValue } from "../config/types.js";
import { rubyLiteral, rubyString } from "./ruby.js";

/** A value of the escape hatch or of extra_vars as a Ruby literal: hashes and arrays nested at any depth. */
export function rubyExtraLiteral(value: ExtraValue): string {
  if (Array.isArray(value)) return `[${value.map(rubyExtraLiteral).join(", ")}]`;
  if (typeof value === "object" && value !== null) return rubyHash(value);
  return rubyLiteral(value);
}

/**
 * `{ "key" => value, ... }` (`{}` when empty): string keys, in the record's order. With an
 * `indent` (the column of the line it starts on), a hash longer than `width` puts each pair
 * on its own line, two columns in, and the closing brace back at `indent`.
 */
export function rubyHash(record: Readonly<Record<string, ExtraValue>>, indent?: number, width = 80): string {
  const pairs = Object.entries(record).map(([key, value]) => `${rubyString(key)} => ${rubyExtraLiteral(value)}`);
  if (!pairs.length) return "{}";
  const oneLine = `{ ${pairs.join(", ")} }`;
  // The line's start (`ansible.extra_vars = `) is taken as 30 columns.
  if (indent === undefined || indent + 30 + oneLine.length <= width) return oneLine;
  const inner = " ".repeat(indent + 2);
  return `{\n${pairs.map((pair) => `${inner}${pair},`).join("\n")}\n${" ".repeat(indent)}}`;
}
