// The Vagrantfile's layout for people: a call too long for one line continues on lines
// indented deeper than the call itself, for every golden case and example on both providers.
import path from "node:path";
import fs from "fs-extra";
import { loadLab } from "../../../src/config/load.js";
import { PROVIDERS } from "../../../src/config/types.js";
import { renderVagrantfile } from "../../../src/render/vagrantfile.js";
import { ROOT } from "../../support/tools.js";

/** A line that starts a Ruby call of the Vagrantfile's own (`node.vm.network ...`, `libvirt.storage ...`). */
const CALL = /^\s*(config|node|libvirt|vb)\.[\w.]+ /;
const indent = (line: string) => line.length - line.trimStart().length;

/** Each continued call as `line N: text` where a continuation line is not indented deeper than its call. */
function flatContinuations(text: string): string[] {
  const lines = text.split("\n");
  const found: string[] = [];
  lines.forEach((line, i) => {
    if (!CALL.test(line) || !line.endsWith(",")) return;
    for (let j = i + 1; j < lines.length; j++) {
      if (indent(lines[j]) <= indent(line)) found.push(`line ${j + 1}: ${lines[i].trim()} / ${lines[j].trim()}`);
      if (!lines[j].endsWith(",")) break;
    }
  });
  return found;
}

const labDirs = async () => {
  const golden = path.join(ROOT, "test", "golden");
  const examples = path.join(ROOT, "examples");
  const dirs = [...(await fs.readdir(golden)).map((d) => path.join(golden, d)), ...(await fs.readdir(examples)).map((d) => path.join(examples, d))];
  return dirs.filter((dir) => fs.existsSync(path.join(dir, "kvm-lab.config.ts")));
};

test("continuation lines of a long call are indented deeper than the call (golden cases and examples, both providers)", async () => {
  const found: string[] = [];
  for (const dir of await labDirs()) {
    for (const provider of PROVIDERS) {
      let text: string;
      try {
        text = renderVagrantfile((await loadLab(dir, { provider })).lab);
      } catch {
        continue; // a case made for the other provider only
      }
      found.push(...flatContinuations(text).map((line) => `${path.basename(dir)} (${provider}) ${line}`));
    }
  }
  expect(found).toEqual([]);
});

test("a libvirt call with a long option list (a blank disk with a cache mode) continues indented", async () => {
  const { normalizeLab } = await import("../../../src/config/normalize.js");
  const { lab } = normalizeLab({
    name: "layout",
    box: "debian/bookworm64",
    provider: "libvirt",
    machines: [{ name: "node1", disks: [{ name: "data", sizeGiB: 20, bus: "scsi" }], libvirt: { diskCache: "writeback" } }],
  });
  const text = renderVagrantfile(lab);
  expect(text).toMatch(/\n {6}libvirt\.storage :file, size: "20G", bus: "scsi",\n {8}cache: "writeback"\n/);
  expect(flatContinuations(text)).toEqual([]);
});
