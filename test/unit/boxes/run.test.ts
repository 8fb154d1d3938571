// The box builder's tool runs, on the one process runner: output appended to the build log
// as it comes, lines of both streams for progress, a failure as a BoxBuildError with the step.
import path from "node:path";
import fs from "fs-extra";
import { run } from "../../../src/boxes/run.js";
import { BoxBuildError } from "../../../src/errors.js";
import { tempDir } from "../../support/tools.js";

test("output goes to the log and to onLine; a failing tool names the step and shows its output's end", async () => {
  const dir = await tempDir();
  try {
    const ctx = { log: path.join(dir, "build.log"), step: "packages" };
    const lines: string[] = [];
    expect(await run(ctx, "sh", ["-c", "echo one; echo two >&2"], { onLine: (l) => lines.push(l) })).toBe("one");
    expect(lines.sort()).toEqual(["one", "two"]);
    const error = await run(ctx, "sh", ["-c", "echo broken >&2; exit 7"]).catch((e) => e);
    expect(error).toBeInstanceOf(BoxBuildError);
    expect(error.message).toBe("packages: sh exited with 7\nbroken");
    const missing = await run(ctx, "/nonexistent/debootstrap", []).catch((e) => e);
    expect(missing.message).toContain("packages: /nonexistent/debootstrap is not installed");
    const log = await fs.readFile(ctx.log, "utf8");
    expect(log).toContain("$ sh -c echo one; echo two >&2\none\ntwo\n");
  } finally {
    await fs.remove(dir);
  }
});
