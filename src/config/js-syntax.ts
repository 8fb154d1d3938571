// Which brackets a TypeScript or JavaScript file leaves open at its end. The transpiler
// jiti uses (Babel) says only "Unexpected token" at the end of the file when a `{` is never
// closed; this scan names the bracket and what would close it. It skips strings, template
// literals, comments and regular expressions; it is a hint, not a parser.

export interface OpenBracket {
  /** `{`, `[` or `(`. */
  bracket: string;
  /** 0-based offset in the text. */
  offset: number;
}

const CLOSER: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

/** The brackets still open at the end of `text`, outermost first (empty when all close). */
export function openBracketsAtEnd(text: string): OpenBracket[] {
  const stack: (OpenBracket | { bracket: "${"; offset: number })[] = [];
  let i = 0;
  let previous = ""; // the last significant character, to tell a regex from a division
  const skipQuoted = (quote: string): void => {
    i++;
    while (i < text.length && text[i] !== quote && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
    i++;
  };
  /** Skips template text up to its end or to a `${`, which is pushed. */
  const skipTemplate = (): void => {
    while (i < text.length) {
      if (text[i] === "\\") i += 2;
      else if (text[i] === "`") {
        i++;
        return;
      } else if (text.startsWith("${", i)) {
        stack.push({ bracket: "${", offset: i });
        i += 2;
        return;
      } else i++;
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      skipQuoted(c);
      previous = c;
      continue;
    }
    if (c === "`") {
      i++;
      skipTemplate();
      previous = "`";
      continue;
    }
    if (c === "/" && (previous === "" || "(,=:[!&|?{};+-*%<>~^".includes(previous))) {
      i++;
      let inClass = false;
      while (i < text.length && text[i] !== "\n" && (inClass || text[i] !== "/")) {
        if (text[i] === "\\") i++;
        else if (text[i] === "[") inClass = true;
        else if (text[i] === "]") inClass = false;
        i++;
      }
      i++;
      previous = "/";
      continue;
    }
    if (c === "{" || c === "[" || c === "(") stack.push({ bracket: c, offset: i });
    else if (c === "}" || c === "]" || c === ")") {
      const top = stack.pop();
      if (top?.bracket === "${" && c === "}") {
        i++;
        skipTemplate();
        previous = "`";
        continue;
      }
    }
    if (!/\s/.test(c)) previous = c;
    i++;
  }
  return stack.filter((b): b is OpenBracket => b.bracket !== "${");
}

/** What closes `open` brackets, innermost first: `})` for `({`. */
export function closersOf(open: OpenBracket[]): string {
  return open
    .map((b) => CLOSER[b.bracket])
    .reverse()
    .join("");
}
