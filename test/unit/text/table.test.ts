// Plain-text tables: padded columns, and a last column that wraps to a width.
import { formatTable, wrap } from "../../../src/text/table.js";

test("without a width, rows stay one line each", () => {
  expect(formatTable(["a", "rule"], [["x", "one two three"]])).toBe("a  rule\n-  -------------\nx  one two three");
});

test("with a width, the last column wraps word by word under itself and no line is wider", () => {
  const text = formatTable(["from", "rule"], [["m1", "machines on the same host-only network reach each other"], ["m2", "short"]], { width: 30 });
  const lines = text.split("\n");
  expect(lines.every((line) => line.length <= 30)).toBe(true);
  expect(lines).toEqual([
    "from  rule",
    "----  ------------------------",
    "m1    machines on the same",
    "      host-only network reach",
    "      each other",
    "m2    short",
  ]);
});

test("the last column keeps 24 characters even when the others fill the width; long words are cut", () => {
  expect(wrap("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  expect(wrap("", 10)).toEqual([""]);
  const text = formatTable(["a".repeat(40), "rule"], [["x", "y ".repeat(30)]], { width: 50 });
  expect(text.split("\n")[1]).toBe(`${"-".repeat(40)}  ${"-".repeat(24)}`);
});

test("when the other columns alone are too wide, the widest of them wraps too, so every line fits", () => {
  const long = "a-machine-with-a-very-long-name-indeed-for-a-lab";
  const text = formatTable(["from", "network (mode)", "rule"], [[long, "tenant-network-of-the-lab (intnet)", "machines on the same internal network reach each other"]], { width: 80 });
  const lines = text.split("\n");
  expect(lines.filter((line) => line.length > 80)).toEqual([]);
  expect(lines.join(" ").replace(/\s+/g, " ")).toContain("machines on the same");
  expect(lines.slice(2).map((line) => line.slice(0, 28).trim()).join("")).toBe(long); // cut and continued under itself
});
