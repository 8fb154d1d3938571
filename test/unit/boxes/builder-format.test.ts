// A builder change gives a new box version (issue: versions that follow content): the
// builder's sources are fingerprinted here, so changing them fails this test until
// BUILDER_FORMAT is bumped (the change makes other bytes) or the fingerprint below is
// updated (it does not: a comment, a message, a refactor with the same output).
import { createHash } from "node:crypto";
import path from "node:path";
import fs from "fs-extra";
import { BUILDER_FORMAT } from "../../../src/boxes/version.js";
import { ROOT } from "../../support/tools.js";

/** The files whose code decides a box's bytes. */
const BUILDER_SOURCES = ["build.ts", "disk.ts", "formats.ts", "reproducible.ts", "rootfs.ts", "run.ts"];

test("the builder's sources match the fingerprint recorded with its format", async () => {
  const hash = createHash("sha256");
  for (const file of BUILDER_SOURCES) hash.update(`${file}\n${await fs.readFile(path.join(ROOT, "src", "boxes", file), "utf8")}`);
  const fingerprint = hash.digest("hex").slice(0, 16);
  expect({ BUILDER_FORMAT, fingerprint }).toEqual({ BUILDER_FORMAT: 5, fingerprint: "ea005aacf946d112" });
});
