// Shell completion, for real: bash sources `kvm-lab completion bash` and runs its function
// on COMP_WORDS as bash would at a TAB; zsh (when installed) loads `kvm-lab completion zsh`
// in an interactive shell on a tmux terminal, and TAB is pressed.
import path from "node:path";
import { execa, execaSync } from "execa";
import fs from "fs-extra";
import { BIN, kvmLab } from "../support/cli.js";
import { TmuxSession } from "../support/tmux.js";
import { ROOT, tempDir } from "../support/tools.js";
import { CHECK_IDS } from "../../src/checks/ids.js";

const EXAMPLE_CONFIG = path.join(ROOT, "examples", "nested-lab", "kvm-lab.config.ts");

/** What bash offers for the last of `words` (the word being completed), one reply per element. */
async function bashComplete(words: string[], cwd: string): Promise<string[]> {
  const script = 'source <("$NODE" "$BIN" completion bash) && COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) && _kvm_lab && printf "%s\\n" "${COMPREPLY[@]}"';
  const { stdout } = await execa("bash", ["-c", script, "bash", ...words], { cwd, env: { NODE: process.execPath, BIN } });
  return stdout.split("\n").filter(Boolean);
}

/** The recipe folders under boxes/, as a user would see them. */
async function recipeFolders(): Promise<string[]> {
  const entries = await fs.readdir(path.join(ROOT, "boxes"), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && fs.existsSync(path.join(ROOT, "boxes", e.name, "recipe.ts"))).map((e) => e.name).sort();
}

let lab: string;
beforeAll(async () => {
  lab = await tempDir("kvm-lab-completion-");
  await fs.copy(EXAMPLE_CONFIG, path.join(lab, "kvm-lab.config.ts"));
  await fs.ensureDir(path.join(lab, "other"));
  await fs.writeFile(path.join(lab, "other", "lab.mjs"), 'export default { name: "o", box: "b", machines: [{ name: "alpha" }, { name: "beta", nics: [{ network: "x", ip: "999.1.1.1" }] }] };\n');
});
afterAll(() => fs.remove(lab));

describe("bash", () => {
  test("commands, and a command from what is typed of it", async () => {
    const all = await bashComplete(["kvm-lab", ""], lab);
    expect(all).toEqual(expect.arrayContaining(["render", "validate", "plan", "topology", "up", "check", "test", "status", "destroy", "ssh-config", "init", "box", "completion"]));
    expect(all).not.toContainEqual(expect.stringMatching(/__complete/));
    expect(await bashComplete(["kvm-lab", "pl"], lab)).toEqual(["plan"]);
    expect(await bashComplete(["kvm-lab", "--"], lab)).toEqual(["--help", "--version"]);
  });

  test("a command's flags, long names only, not those already given", async () => {
    expect(await bashComplete(["kvm-lab", "render", "--f"], lab)).toEqual(["--force"]);
    const topology = await bashComplete(["kvm-lab", "topology", "--"], lab);
    expect(topology.sort()).toEqual(["--config", "--format", "--help", "--out", "--provider", "--version"]);
    expect(await bashComplete(["kvm-lab", "topology", "--format", "svg", "--"], lab)).not.toContain("--format");
  });

  test("a flag's choices", async () => {
    expect(await bashComplete(["kvm-lab", "topology", "--format", ""], lab)).toEqual(["mermaid", "dot", "svg"]);
    expect(await bashComplete(["kvm-lab", "render", "-p", "l"], lab)).toEqual(["libvirt"]);
    expect(await bashComplete(["kvm-lab", "check", "--only", ""], lab)).toEqual([...CHECK_IDS]);
    expect(await bashComplete(["kvm-lab", "completion", ""], lab)).toEqual(["bash", "zsh"]);
  });

  test("machine names from the config in the current folder, or from --config", async () => {
    expect(await bashComplete(["kvm-lab", "up", ""], lab)).toEqual(["controller", "compute"]);
    expect(await bashComplete(["kvm-lab", "check", "--json", "controller", ""], lab)).toEqual(["compute"]);
    expect(await bashComplete(["kvm-lab", "destroy", "co"], lab)).toEqual(["controller", "compute"]);
    // A config with a problem elsewhere (a bad address) still names its machines.
    expect(await bashComplete(["kvm-lab", "status", "--config", "other/lab.mjs", ""], lab)).toEqual(["alpha", "beta"]);
    expect(await bashComplete(["kvm-lab", "ssh-config", "-c", "other/lab.mjs", "b"], lab)).toEqual(["beta"]);
    // No config here: nothing, and no error on the terminal.
    expect(await bashComplete(["kvm-lab", "up", ""], path.join(lab, "other"))).toEqual([]);
  });

  test("box actions, and the recipes (the boxes/ folders) after box build", async () => {
    expect(await bashComplete(["kvm-lab", "box", ""], lab)).toEqual(["build", "list", "version"]);
    expect(await bashComplete(["kvm-lab", "box", "build", ""], lab)).toEqual(await recipeFolders());
    expect(await bashComplete(["kvm-lab", "box", "version", ""], lab)).toEqual(await recipeFolders());
    expect(await bashComplete(["kvm-lab", "box", "list", ""], lab)).toEqual([]);
  });

  test("file names for --config and --out, as --flag VALUE and --flag=VALUE", async () => {
    expect(await bashComplete(["kvm-lab", "render", "--config", "kvm"], lab)).toEqual(["kvm-lab.config.ts"]);
    expect(await bashComplete(["kvm-lab", "render", "--config", "=", "oth"], lab)).toEqual(["other"]);
    expect(await bashComplete(["kvm-lab", "render", "--config", "="], lab)).toEqual(["kvm-lab.config.ts", "other"]);
    expect(await bashComplete(["kvm-lab", "init", ""], lab)).toEqual(["other"]); // folders only
  });

  test("the script is printed by `kvm-lab completion bash` and bash reads it without error", async () => {
    const result = await kvmLab(["completion", "bash"], { cwd: lab });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("complete -F _kvm_lab kvm-lab");
    const file = path.join(lab, "kvm-lab.bash");
    await fs.writeFile(file, result.stdout);
    expect((await execa("bash", ["-n", file], { reject: false })).exitCode).toBe(0);
  });
});

describe("zsh", () => {
  const missing = ["zsh", "tmux"].filter((tool) => {
    try {
      return execaSync(tool, ["--version"], { reject: false }).exitCode !== 0 && execaSync(tool, ["-V"], { reject: false }).exitCode !== 0;
    } catch {
      return true;
    }
  });
  if (missing.length) process.stderr.write(`completion: ${missing.join(" and ")} missing (scripts/install-deps.sh installs them), skipping the zsh tests\n`);
  const maybe = missing.length ? test.skip : test;

  maybe("TAB completes commands, flags and machine names in an interactive zsh", async () => {
    const home = path.join(lab, "zdot");
    await fs.ensureDir(home);
    await fs.writeFile(
      path.join(home, ".zshrc"),
      `autoload -Uz compinit && compinit -u -d ${JSON.stringify(path.join(home, ".zcompdump"))}\nsource <(${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} completion zsh)\nPROMPT='zsh> '\n`,
    );
    const session = await TmuxSession.start(`kvm-lab-zsh-${process.pid}`, `env ZDOTDIR=${home} zsh -i`, lab);
    try {
      await session.waitFor(/^zsh>/m);
      await session.send(["kvm-lab pl"], { literal: true });
      await session.send(["Tab"]);
      await session.waitFor(/zsh> kvm-lab plan\s*$/m);
      await session.send([" --ma"], { literal: true });
      await session.send(["Tab"]);
      await session.waitFor(/zsh> kvm-lab plan --matrix\s*$/m);
      await session.send(["C-u"]);
      await session.send(["kvm-lab up contr"], { literal: true });
      await session.send(["Tab"]);
      await session.waitFor(/zsh> kvm-lab up controller\s*$/m);
      await session.send(["C-u"]);
      await session.send(["kvm-lab topology --format s"], { literal: true });
      await session.send(["Tab"]);
      await session.waitFor(/zsh> kvm-lab topology --format svg\s*$/m);
    } finally {
      await session.kill();
    }
  });
});
