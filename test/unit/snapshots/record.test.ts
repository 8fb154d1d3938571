// The snapshot record (.kvm-lab/snapshots.json), names and the config digest.
import path from "node:path";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import { labConfigDigest } from "../../../src/snapshots/digest.js";
import { checkSnapshotName } from "../../../src/snapshots/names.js";
import { forgetSnapshot, readRecord, recordFile, recordSnapshot } from "../../../src/snapshots/record.js";
import { tempDir } from "../../support/tools.js";

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-record-");
});
afterEach(() => fs.remove(dir));

const entry = (name: string, provider: "libvirt" | "virtualbox" = "libvirt") => ({ name, created: "2026-01-01T00:00:00.000Z", provider, machines: ["web"], configDigest: "sha256:x" });

test("no record yet is an empty one; entries replace their namesake of the same provider; written whole (no temp file left)", async () => {
  const state = path.join(dir, ".kvm-lab");
  expect(await readRecord(state)).toEqual({ version: 1, snapshots: [] });
  await recordSnapshot(state, entry("one"));
  await recordSnapshot(state, entry("one", "virtualbox"));
  await recordSnapshot(state, { ...entry("one"), machines: ["web", "dbs"] });
  expect((await readRecord(state)).snapshots).toEqual([entry("one", "virtualbox"), { ...entry("one"), machines: ["web", "dbs"] }]);
  await forgetSnapshot(state, "one", "virtualbox");
  expect((await readRecord(state)).snapshots.map((s) => s.provider)).toEqual(["libvirt"]);
  expect(await fs.readdir(state)).toEqual(["snapshots.json"]);
});

test("a record file that is not one is an error naming the file and the fix", async () => {
  const state = path.join(dir, ".kvm-lab");
  await fs.outputFile(recordFile(state), "{");
  await expect(readRecord(state)).rejects.toThrow(/snapshots\.json is not JSON/);
  await fs.outputJson(recordFile(state), { version: 1, snapshots: [{ name: 1 }] });
  await expect(readRecord(state)).rejects.toThrow(expect.objectContaining({ message: expect.stringContaining("is not a kvm-lab snapshot record"), hint: expect.stringContaining("remove it") }));
});

test("snapshot names: plain words only, each refusal names the rule", () => {
  for (const good of ["clean", "default", "before-upgrade", "v1.2_rc", "A".repeat(63)]) expect(checkSnapshotName(good)).toBe(good);
  for (const bad of ["", "-x", "with space", "a/b", "é", "x".repeat(64), "$(reboot)", "<name>"]) expect(() => checkSnapshotName(bad)).toThrow(/is not a snapshot name/);
});

test("the config digest changes with what makes the machines, not with what only steers kvm-lab", () => {
  const base = { name: "d", box: "b", provider: "libvirt" as const, machines: [{ name: "web" }, { name: "dbs" }] };
  const digest = (config: object) => labConfigDigest(checkConfig(config as never).lab);
  expect(digest(base)).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(digest(base)).toBe(digest({ ...base }));
  expect(digest({ ...base, checks: { timeoutSeconds: 9 } })).toBe(digest(base));
  expect(digest({ ...base, machines: [{ name: "web", memory: 4096 }, { name: "dbs" }] })).not.toBe(digest(base));
  expect(digest({ ...base, machines: [{ name: "web" }] })).not.toBe(digest(base));
  expect(digest({ ...base, box: "other" })).not.toBe(digest(base));
});
