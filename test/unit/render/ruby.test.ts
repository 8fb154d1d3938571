import { execa } from "execa";
import { commentText, rubyIdentifier, rubyLiteral, rubyOptions, rubyString, RubySymbol } from "../../../src/render/ruby.js";
import { rubySyntaxOk } from "../../support/tools.js";

test("strings: quotes, backslashes and interpolation are escaped; output is ASCII", () => {
  expect(rubyString('a"b')).toBe('"a\\"b"');
  expect(rubyString("a\\b")).toBe('"a\\\\b"');
  expect(rubyString("#{x} #@y #$z")).toBe('"\\#{x} \\#@y \\#$z"');
  expect(rubyString("l1\nl2\t\r")).toBe('"l1\\nl2\\t\\r"');
  expect(rubyString("é😀\u0000")).toBe('"\\u{e9}\\u{1f600}\\u{0}"');
  expect(() => rubyString("\ud800")).toThrow("lone UTF-16 surrogate");
});

test("other literals", () => {
  expect(rubyLiteral(["--nic2", "null"])).toBe('["--nic2", "null"]');
  expect(rubyLiteral(new RubySymbol("id"))).toBe(":id");
  expect(rubyLiteral(true)).toBe("true");
  expect(rubyLiteral(4096)).toBe("4096");
  expect(() => rubyLiteral(NaN)).toThrow();
  expect(() => new RubySymbol("id; system('x')")).toThrow();
});

test("option lists: safe keys only, long lists wrapped on continuation lines", async () => {
  expect(rubyOptions([["adapter", 2], ["ip", "192.168.56.10"], ["mac", undefined]])).toBe('adapter: 2, ip: "192.168.56.10"');
  expect(() => rubyOptions([["bad key", 1]])).toThrow("not a safe option key");
  const long = rubyOptions(
    Array.from({ length: 8 }, (_, i): [string, string] => [`option_${i}`, "a value that takes room"]),
    2,
    80,
  );
  expect(long.split("\n").length).toBeGreaterThan(2);
  expect(long.split("\n").slice(1).every((line) => line.startsWith("  ") && line.length <= 80)).toBe(true);
  expect((await rubySyntaxOk(`x = {\n${long}\n}`)).ok).toBe(true);
});

test("comment text cannot end its comment line", () => {
  expect(commentText("a\nVagrant.danger\r\u2028b")).toBe("a\\u{a}Vagrant.danger\\u{d}\\u{2028}b");
});

test("hashes: string keys and values are both literals, whatever they hold", async () => {
  expect(rubyLiteral({})).toBe("{}");
  expect(rubyLiteral({ a: 1, b: [true, "x"], c: { d: "e" } })).toBe('{ "a" => 1, "b" => [true, "x"], "c" => { "d" => "e" } }');
  const hostile = { '"} ; system("id") ; {"': "#{`id`}", "#@x\n=begin": ["\\", "end"], "__END__": { "'": "\u0000" } };
  const text = rubyLiteral(hostile);
  expect(text).toBe(
    '{ "\\"} ; system(\\"id\\") ; {\\"" => "\\#{`id`}", "\\#@x\\n=begin" => ["\\\\", "end"], "__END__" => { "\'" => "\\u{0}" } }',
  );
  // Real Ruby evaluates it to the same data.
  const program = `require "json"\nv = ${text}\nexit(v == JSON.parse(${rubyString(JSON.stringify(hostile))}) ? 0 : 3)`;
  const result = await execa("ruby", ["-e", program], { reject: false, all: true });
  expect(result.all).toBe("");
  expect(result.exitCode).toBe(0);
});

test("setting names printed as code are plain Ruby method names only", () => {
  expect(rubyIdentifier("video_type")).toBe("video_type");
  for (const bad of ["a = 1; system('x') #", "A", "1a", "a-b", "a.b", "a\nb", ""]) expect(() => rubyIdentifier(bad)).toThrow("not a safe Ruby method name");
});
