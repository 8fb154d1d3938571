// Output into a pipe whose reader has gone (`kvm-lab plan | head -1`): no EPIPE stack
// trace, the command ends as it would have, exit 0. The reader here is `true`, which
// exits before node has started, so every write meets a closed pipe.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { BIN, CREATE_BIN } from "../support/cli.js";
import { ROOT, tempDir, VAGRANT_HOME } from "../support/tools.js";

const EXAMPLE = path.join(ROOT, "examples", "nested-lab");

/** Runs `node bin args | true` in bash; returns the node side's exit status and stderr. */
async function intoClosedPipe(bin: string, args: string[], cwd: string): Promise<{ status: string; stderr: string }> {
  const script = 'node "$1" "${@:2}" 2>"$ERRFILE" | true; echo "${PIPESTATUS[0]}"';
  const errFile = path.join(await tempDir("kvm-lab-pipe-"), "stderr");
  try {
    const { stdout } = await execa("bash", ["-c", script, "bash", bin, ...args], {
      cwd,
      env: { ERRFILE: errFile, VAGRANT_HOME, VAGRANT_CHECKPOINT_DISABLE: "1" },
    });
    return { status: stdout.trim(), stderr: await fs.readFile(errFile, "utf8") };
  } finally {
    await fs.remove(path.dirname(errFile));
  }
}

test.each([[["plan"]], [["plan", "--matrix"]], [["plan", "--json"]], [["render", "--stdout"]], [["topology"]], [["box", "list"]], [["--help"]]])(
  "kvm-lab %j into a closed pipe ends quietly, exit 0",
  async (args) => {
    expect(await intoClosedPipe(BIN, args, EXAMPLE)).toEqual({ status: "0", stderr: "" });
  },
);

test("create-kvm-lab into a closed pipe still writes the whole project, exit 0", async () => {
  const work = await tempDir("kvm-lab-pipe-create-");
  try {
    expect(await intoClosedPipe(CREATE_BIN, ["piped", "-y"], work)).toEqual({ status: "0", stderr: "" });
    expect(await fs.pathExists(path.join(work, "piped", "Vagrantfile"))).toBe(true);
  } finally {
    await fs.remove(work);
  }
});
