// Reading back a scaffolded project: its files, its workflow (parsed by real Ruby's YAML),
// and the text in its SVG.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { ROOT } from "./tools.js";

/** Every file under `dir`, dotfiles included, as sorted relative paths. */
export async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** The files a project gets, read from the template folders as a user would see them. */
export async function expectedProjectFiles(): Promise<string[]> {
  const common = (await filesUnder(path.join(ROOT, "templates", "create", "common"))).map((stored) =>
    stored
      .split("/")
      .map((part) => (part.startsWith("_") ? `.${part.slice(1)}` : part))
      .join("/")
      .replace(/\.hbs$/, ""),
  );
  return [...common, "kvm-lab.config.ts", "Vagrantfile", "topology.svg"].sort();
}

/** A YAML file as JSON, parsed by Ruby's Psych (safe_load). */
export async function readYaml(file: string): Promise<unknown> {
  const { stdout } = await execa("ruby", ["-ryaml", "-rjson", "-e", "puts JSON.generate(YAML.safe_load(File.read(ARGV[0]), aliases: false))", file]);
  return JSON.parse(stdout);
}

/** The text of every <text> element of an SVG, entities decoded. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
      .replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(parseInt(code, 16)))
      .replace(/&amp;/g, "&"),
  );
}

/** xmllint's verdict on an XML file. */
export async function wellFormedXml(file: string): Promise<{ ok: boolean; output: string }> {
  const result = await execa("xmllint", ["--noout", file], { reject: false, all: true });
  return { ok: result.exitCode === 0, output: String(result.all) };
}
