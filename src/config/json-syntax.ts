// Where a JSON document stops being JSON, and why. `JSON.parse` says what it disliked but
// not always where (V8: `Unexpected token ']', ..."b": [1,]..." is not valid JSON`), so a
// failed parse is walked again here by the grammar of RFC 8259 to find the spot.
import { positionAt } from "./code-frame.js";

export interface JsonSyntaxError {
  /** 0-based offset of the offending character (the text's length at its end). */
  offset: number;
  message: string;
  fix?: string;
}

class Stop extends Error {
  constructor(readonly found: JsonSyntaxError) {
    super(found.message);
  }
}

/** The first syntax error of `text` as JSON, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let at = 0;
  const stop = (message: string, fix?: string, offset = at): never => {
    throw new Stop({ offset, message, fix });
  };
  const show = (): string => (at >= text.length ? "the end of the file" : JSON.stringify(text[at]));
  const skipSpace = (): void => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
    if (text.startsWith("//", at) || text.startsWith("/*", at)) {
      stop("JSON has no comments", "remove the comment, or write the config as kvm-lab.config.ts");
    }
  };
  const opened = (open: string, from: number): string => {
    const { line, column } = positionAt(text, from);
    return `the ${open} opened at line ${line}, column ${column}`;
  };

  function value(): void {
    skipSpace();
    const c = text[at];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c >= "0" && c <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return;
      }
    }
    if (c === "'") stop("JSON strings take double quotes", "write \"...\" instead of '...'");
    if (at >= text.length) stop("the file ends where a value belongs");
    stop(`unexpected ${show()} where a value belongs`);
  }

  function object(): void {
    const from = at++;
    skipSpace();
    if (text[at] === "}") {
      at++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[at] === "}") stop("a comma before } (JSON allows no trailing comma)", "remove the last comma", lastComma(at));
      if (text[at] !== '"') {
        if (at >= text.length) stop(`the file ends before ${opened("{", from)} is closed`, "add the missing }");
        stop(`unexpected ${show()} where a property name in double quotes belongs`, 'write names as "name"');
      }
      string();
      skipSpace();
      if (text[at] !== ":") stop(`unexpected ${show()} after a property name`, "put a : between the name and its value");
      at++;
      value();
      skipSpace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "}") {
        at++;
        return;
      }
      if (at >= text.length) stop(`the file ends before ${opened("{", from)} is closed`, "add the missing }");
      stop(`unexpected ${show()} after a value`, "separate the properties with a comma, or close the object with }");
    }
  }

  function array(): void {
    const from = at++;
    skipSpace();
    if (text[at] === "]") {
      at++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[at] === "]") stop("a comma before ] (JSON allows no trailing comma)", "remove the last comma", lastComma(at));
      value();
      skipSpace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "]") {
        at++;
        return;
      }
      if (at >= text.length) stop(`the file ends before ${opened("[", from)} is closed`, "add the missing ]");
      stop(`unexpected ${show()} after an array item`, "separate the items with a comma, or close the array with ]");
    }
  }

  function string(): void {
    const from = at++;
    while (at < text.length && text[at] !== '"') {
      const code = text.charCodeAt(at);
      if (code < 0x20) stop("a line break or control character inside a string", "write it as an escape (\\n, \\t) or close the string");
      if (text[at] === "\\") {
        const next = text[at + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) stop("\\u takes four hex digits");
          at += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) stop(`\\${next ?? ""} is not a JSON escape`, 'use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX');
        at += 2;
        continue;
      }
      at++;
    }
    if (at >= text.length) stop("this string is never closed", 'add the closing "', from);
    at++;
  }

  function number(): void {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(at));
    if (!match || /^[0-9.eE+-]/.test(text.slice(at + match[0].length))) {
      stop("not a JSON number", "write numbers as 12, -3 or 1.5 (no leading zeros, + or hex)");
    }
    at += match![0].length;
  }

  /** The trailing comma before `close`, so the caret lands on it. */
  function lastComma(close: number): number {
    let i = close - 1;
    while (i > 0 && " \t\n\r".includes(text[i])) i--;
    return text[i] === "," ? i : close;
  }

  try {
    value();
    skipSpace();
    if (at < text.length) stop(`unexpected ${show()} after the end of the document`, "a JSON config is one object: remove what follows it");
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.found;
    throw error;
  }
}
