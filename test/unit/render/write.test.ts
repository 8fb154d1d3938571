// Writes that lose nothing: atomic replacement, and nothing left behind when a write fails.
import path from "node:path";
import fs from "fs-extra";
import { diskStateOf, freeBackupName, keepBackup, writeFileAtomic, writeVagrantfile } from "../../../src/render/write.js";
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

test("backups take the first free name and never replace one, however many there are", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "Vagrantfile");
    const kept: string[] = [];
    for (const text of ["one\n", "two\n", "three\n"]) {
      await fs.writeFile(file, text);
      kept.push(path.basename(await keepBackup(file)));
    }
    expect(kept).toEqual(["Vagrantfile.kvm-lab.bak", "Vagrantfile.kvm-lab.bak.1", "Vagrantfile.kvm-lab.bak.2"]);
    expect(await fs.readFile(path.join(dir, "Vagrantfile.kvm-lab.bak"), "utf8")).toBe("one\n");
    expect(await fs.readFile(path.join(dir, "Vagrantfile.kvm-lab.bak.2"), "utf8")).toBe("three\n");
    // A gap is filled, an existing name is skipped.
    await fs.remove(path.join(dir, "Vagrantfile.kvm-lab.bak.1"));
    expect(path.basename(await freeBackupName(file))).toBe("Vagrantfile.kvm-lab.bak.1");
    // Many at once: each gets its own name, none is lost.
    const names = await Promise.all(Array.from({ length: 5 }, () => keepBackup(file)));
    expect(new Set(names).size).toBe(5);
  } finally {
    await fs.remove(dir);
  }
});

test("forcing over an edited file twice keeps both edits", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "Vagrantfile");
    await fs.writeFile(file, `${TEXT}# first\n`);
    const first = await writeVagrantfile(file, TEXT.replace('"m"', '"n"'), { force: true });
    await fs.appendFile(file, "# second\n");
    const second = await writeVagrantfile(file, TEXT, { force: true });
    expect([first.backup, second.backup].map((f) => path.basename(f!))).toEqual(["Vagrantfile.kvm-lab.bak", "Vagrantfile.kvm-lab.bak.1"]);
    expect(await fs.readFile(first.backup!, "utf8")).toMatch(/# first\n$/);
    expect(await fs.readFile(second.backup!, "utf8")).toMatch(/# second\n$/);
  } finally {
    await fs.remove(dir);
  }
});

test("the state of a Vagrantfile on disk: missing, current, stale, edited, foreign", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "Vagrantfile");
    const other = TEXT.replace('"m"', '"n"');
    expect(await diskStateOf(file, TEXT)).toBe("missing");
    await fs.writeFile(file, TEXT);
    expect(await diskStateOf(file, TEXT)).toBe("current");
    expect(await diskStateOf(file, other)).toBe("stale");
    await fs.appendFile(file, "# mine\n");
    expect(await diskStateOf(file, TEXT)).toBe("edited");
    await fs.writeFile(file, 'Vagrant.configure("2") {}\n');
    expect(await diskStateOf(file, TEXT)).toBe("foreign");
  } finally {
    await fs.remove(dir);
  }
});
