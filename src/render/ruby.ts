// Ruby literals for values that come from a config. Every config string reaches the
// Vagrantfile through these helpers, so none of it can ever run as Ruby code.

/** A Ruby symbol, for the few fixed names our templates need (`:id`). */
export class RubySymbol {
  constructor(readonly name: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe Ruby symbol: ${name}`);
  }
}

const SIMPLE = /^[\x20-\x7e]$/;
const PLAIN = /^[\x20-\x21\x24-\x5b\x5d-\x7e]*$/;

/**
 * A double-quoted Ruby string that reads back as exactly `text`. `#` is always escaped,
 * which rules out `#{...}`, `#@var` and `#$var` interpolation; control characters and
 * anything outside printable ASCII become `\u{...}` escapes, so the file stays plain ASCII.
 */
export function rubyString(text: string): string {
  // Most config strings are printable ASCII without `"`, `\` or `#`: they need no escape.
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) {
    switch (char) {
      case '"': out += '\\"'; break;
      case "\\": out += "\\\\"; break;
      case "#": out += "\\#"; break;
      case "\n": out += "\\n"; break;
      case "\t": out += "\\t"; break;
      case "\r": out += "\\r"; break;
      default: {
        const code = char.codePointAt(0)!;
        // Lone surrogates cannot be encoded in UTF-8; Ruby would reject them.
        if (code >= 0xd800 && code <= 0xdfff) throw new Error("a string holds a lone UTF-16 surrogate");
        out += SIMPLE.test(char) ? char : `\\u{${code.toString(16)}}`;
      }
    }
  }
  return `${out}"`;
}

export type RubyValue = string | number | boolean | RubySymbol | RubyValue[] | RubyHash | undefined;

/** A hash with string keys (`{ "key" => value }`): the escape hatch's objects. */
export interface RubyHash {
  [key: string]: RubyValue;
}

/** Any value we emit as a Ruby literal; a plain object is a hash whose keys are strings too. */
export function rubyLiteral(value: RubyValue): string {
  if (value instanceof RubySymbol) return `:${value.name}`;
  if (Array.isArray(value)) return `[${value.map(rubyLiteral).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    // Keys are string literals like the values, so a key can never be Ruby code either.
    const pairs = Object.entries(value).map(([key, item]) => `${rubyString(key)} => ${rubyLiteral(item)}`);
    return pairs.length ? `{ ${pairs.join(", ")} }` : "{}";
  }
  switch (typeof value) {
    case "string": return rubyString(value);
    case "boolean": return String(value);
    case "number":
      if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
      return String(value);
    case "undefined": return "nil";
  }
  throw new Error(`no Ruby literal for ${typeof value}`);
}

/**
 * A hash literal (`rubyLiteral` of a hash) for a line of its own: with an `indent` (the
 * column of the line it starts on), a hash longer than `width` puts each pair on its own
 * line, two columns in, and the closing brace back at `indent`.
 */
export function rubyHash(record: Readonly<RubyHash>, indent?: number, width = 80): string {
  const oneLine = rubyLiteral(record);
  // The line's start (`ansible.extra_vars = `) is taken as 30 columns.
  if (indent === undefined || oneLine === "{}" || indent + 30 + oneLine.length <= width) return oneLine;
  const pairs = Object.entries(record).map(([key, value]) => `${rubyString(key)} => ${rubyLiteral(value)}`);
  const inner = " ".repeat(indent + 2);
  return `{\n${pairs.map((pair) => `${inner}${pair},`).join("\n")}\n${" ".repeat(indent)}}`;
}

/**
 * `key: value, ...` for a keyword-style options hash; keys are ours, values are literals.
 * With an `indent`, a list too long for one line continues on lines of at most `width`
 * characters, indented by `indent`; the first line leaves room for the call before it.
 */
export function rubyOptions(pairs: [string, RubyValue][], indent = 0, width = 80): string {
  const items = pairs
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(key)) throw new Error(`not a safe option key: ${key}`);
      return `${key}: ${rubyLiteral(value)}`;
    });
  const lead = 40;
  const oneLine = items.join(", ");
  if (indent === 0 || oneLine.length <= width - lead) return oneLine;
  const lines: string[] = [];
  let current = "";
  let budget = width - lead;
  for (const item of items) {
    if (current && current.length + item.length + 2 > budget) {
      lines.push(`${current},`);
      current = item;
      budget = width - indent;
    } else {
      current = current ? `${current}, ${item}` : item;
    }
  }
  lines.push(current);
  return lines.join(`\n${" ".repeat(indent)}`);
}

/** A setting's or method's name after `libvirt.` / `vb.`: only a plain Ruby method name is ever printed as code. */
export function rubyIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe Ruby method name: ${JSON.stringify(name)}`);
  return name;
}

/** Text for a `#` comment: one line, no control characters, so it cannot end the comment. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}
