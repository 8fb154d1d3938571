// Writes that lose nothing: atomic replacement, and nothing left behind when a write fails.
import path from "node:path";
import fs from "fs-extra";
import { writeFileAtomic, writeVagrantfile } from "../../../src/render/write.js";
import { provenanceOf, stampDigest } from "../../../src/render/digest.js";
import { OverwriteRefusedError } from "../../../src/errors.js";
import { render, tempDir } from "../../support/tools.js";

const TEXT = render({ name: "w", box: "b", machines: [{ name: "m" }] });

test("the digest tells our file from an edited or foreign one", () => {
  expect(provenanceOf(TEXT)).toBe("ours");
  expect(provenanceOf(TEXT.replace("vb.memory = 2048", "vb.memory = 4096"))).toBe("edited");
  expect(provenanceOf(TEXT.replace(/^# kvm-lab-digest.*\n/m, ""))).toBe("foreign");
  expect(() => stampDigest("no placeholder\n")).toThrow();
});

test("a failed write leaves what was there and no temp file behind", async () => {
  const dir = await tempDir();
  try {
    // The rename fails: the target is a folder with a file in it.
    const target = path.join(dir, "Vagrantfile");
    await fs.outputFile(path.join(target, "keep"), "x");
    await expect(writeFileAtomic(target, TEXT)).rejects.toThrow();
    expect(await fs.readFile(path.join(target, "keep"), "utf8")).toBe("x");
    expect(await fs.readdir(dir)).toEqual(["Vagrantfile"]);
  } finally {
    await fs.remove(dir);
  }
});

test("an edited file is refused with the fix named", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "Vagrantfile");
    await fs.writeFile(file, `${TEXT}# my note\n`);
    const error = await writeVagrantfile(file, TEXT.replace('"m"', '"n"')).catch((e) => e);
    expect(error).toBeInstanceOf(OverwriteRefusedError);
    expect(error.exitCode).toBe(2);
  } finally {
    await fs.remove(dir);
  }
});
