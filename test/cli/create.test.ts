// create-kvm-lab run as a user would: the built bin into a temp folder, for every template
// and provider. What it writes is checked by the real tools: the config loads, the
// Vagrantfile equals a fresh render and passes `vagrant validate`, the SVG is well-formed
// XML naming every machine and network, the workflow is YAML that runs the README's commands.
import path from "node:path";
import { execa, execaSync } from "execa";
import fs from "fs-extra";
import { loadLab } from "../../src/config/load.js";
import { PROVIDERS, type Lab } from "../../src/config/types.js";
import { renderVagrantfile } from "../../src/render/vagrantfile.js";
import { TEMPLATE_NAMES, TEMPLATES } from "../../src/create/templates.js";
import { CREATE_BIN, createKvmLab, kvmLab } from "../support/cli.js";
import { TmuxSession } from "../support/tmux.js";
import { libvirtReachable, tempDir, vagrantValidate, ROOT } from "../support/tools.js";
import { boxStepsOf, expectedProjectFiles, filesUnder, svgTexts, wellFormedXml, workflowSteps } from "../support/project.js";
import { CI_TIMES, ciTimesSentence } from "../../src/create/ci-times.js";

const libvirtUp = libvirtReachable();
if (!libvirtUp) process.stderr.write("create: libvirtd not reachable, skipping `vagrant validate` of libvirt projects\n");

let work: string;
beforeAll(async () => {
  work = await tempDir("kvm-lab-create-test-");
});
afterAll(async () => {
  await fs.remove(work);
});

const CASES = TEMPLATE_NAMES.flatMap((template) => PROVIDERS.map((provider) => [template, provider] as const));

describe.each(CASES)("create-kvm-lab --template %s --provider %s", (template, provider) => {
  const name = `${template}-${provider}`;
  let dir: string;
  let result: Awaited<ReturnType<typeof createKvmLab>>;
  let lab: Lab;
  beforeAll(async () => {
    dir = path.join(work, name);
    result = await createKvmLab([name, "--template", template, "--provider", provider, "--yes"], { cwd: work });
    ({ lab } = await loadLab(dir));
  });

  test("exits 0 and writes exactly the template's files", async () => {
    // Every template's default lab fits the CI workflow's runner, so nothing is warned (src/host/fit.ts).
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(await filesUnder(dir)).toEqual(await expectedProjectFiles());
    expect(await filesUnder(work)).not.toContainEqual(expect.stringMatching(/kvm-lab-/)); // no staging left
  });

  test("the config loads, with the template's machine count", () => {
    expect(lab.name).toBe(name);
    expect(lab.provider).toBe(provider);
    const perCount = { minimal: 1, "nested-pair": 1, openstack: 1, "network-modes": 5 }[template];
    const fixed = { minimal: 0, "nested-pair": 0, openstack: 2, "network-modes": 0 }[template];
    expect(lab.machines).toHaveLength(fixed + perCount * (TEMPLATES[template].count?.default ?? 1));
    expect(lab.machines.every((m) => m.nested)).toBe(true);
  });

  test("the Vagrantfile equals a fresh render and passes vagrant validate", async () => {
    const text = await fs.readFile(path.join(dir, "Vagrantfile"), "utf8");
    expect(text).toBe(renderVagrantfile(lab));
    if (provider === "libvirt" && !libvirtUp) return;
    const validation = await vagrantValidate(text, provider);
    expect(validation.output).toMatch(/Vagrantfile validated successfully/);
    expect(validation.ok).toBe(true);
  });

  test("topology.svg is well-formed and names every machine and network", async () => {
    const file = path.join(dir, "topology.svg");
    expect(await wellFormedXml(file)).toEqual({ ok: true, output: "" });
    const texts = svgTexts(await fs.readFile(file, "utf8"));
    for (const machine of lab.machines) expect(texts).toContain(machine.name);
    for (const network of lab.networks.filter((n) => n.mode !== "bridged" && n.mode !== "nat")) expect(texts).toContain(network.key);
    for (const network of lab.networks.filter((n) => n.mode === "bridged")) expect(texts).toContain(network.bridge);
  });

  test("the README embeds the Mermaid topology and the SVG, and the workflow runs the commands it names", async () => {
    const readme = await fs.readFile(path.join(dir, "README.md"), "utf8");
    const mermaid = (await kvmLab(["topology"], { cwd: dir })).stdout;
    expect(readme).toContain(`\`\`\`mermaid\n${mermaid}\n\`\`\``);
    expect(readme).toContain("](topology.svg)");
    const job = await workflowSteps(dir);
    expect(job.runsOn).toMatch(/^ubuntu-/);
    const runs = job.steps.map((step) => step.run ?? "").join("\n");
    const ciSection = readme.slice(readme.indexOf("## Continuous integration"));
    const named = ciSection.match(/```sh\n([\s\S]*?)```/)![1].trim().split("\n");
    expect(named[0]).toBe("npm install");
    expect(named.at(-1)).toBe("npm test -- --provider libvirt");
    for (const command of named) expect(runs).toContain(command);
    expect(runs).toMatch(/vagrant plugin install vagrant-libvirt/);
    const pkg = await fs.readJson(path.join(dir, "package.json"));
    expect(pkg.scripts.test).toBe("kvm-lab test --junit kvm-lab-junit.xml");
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(["up", "check", "test", "destroy"]));
    expect(pkg.devDependencies["kvm-lab"]).toBe(`^${(await fs.readJson(path.join(ROOT, "package.json"))).version}`);
    expect(job.steps.some((step) => step.uses?.startsWith("actions/upload-artifact"))).toBe(true);
  });

  test("the machines boot kvm-lab's Debian 13 boxes (the KVM one where they run guests) and install no KVM stack on first boot", async () => {
    const wanted = template === "network-modes" ? "kvm-lab/debian-13-minimal" : "kvm-lab/debian-13-kvm";
    for (const target of PROVIDERS) {
      const { lab: onTarget } = await loadLab(dir, { provider: target });
      expect(onTarget.machines.map((m) => m.box)).toEqual(onTarget.machines.map(() => wanted));
      for (const machine of onTarget.machines) expect(JSON.stringify(machine.provision)).not.toMatch(/apt-get|qemu|libvirt-daemon/);
    }
    const config = await fs.readFile(path.join(dir, "kvm-lab.config.ts"), "utf8");
    // How to pick a public box instead: the one published for this provider.
    expect(config).toContain(provider === "libvirt" ? '"debian/trixie64"' : '"bento/debian-13"');
    const readme = await fs.readFile(path.join(dir, "README.md"), "utf8");
    const recipe = wanted.slice("kvm-lab/".length);
    expect(readme).toContain(`sudo npx kvm-lab box build ${recipe} --provider ${provider}\nvagrant box add --force boxes-out/${recipe}.json\n`);
    expect(readme).not.toMatch(/first boot installs/);
    expect(await fs.readFile(path.join(dir, ".gitignore"), "utf8")).toMatch(/^boxes-out\/$/m);
  });

  test("the workflow builds, caches and adds exactly the box the lab names, keyed on `kvm-lab box version`", async () => {
    const { steps } = await workflowSteps(dir);
    const recipe = template === "network-modes" ? "debian-13-minimal" : "debian-13-kvm";
    const builds = steps.filter((step) => /kvm-lab box build /.test(step.run ?? ""));
    expect(builds).toHaveLength(1);
    const { versionRun, versionStep, cacheKey } = boxStepsOf(steps, recipe);
    const install = steps.find((step) => /apt-get install/.test(step.run ?? ""))!.run!;
    for (const pkg of ["debootstrap", "debian-archive-keyring", "dosfstools", "mtools", "syslinux", "syslinux-common", "e2fsprogs", "qemu-utils"]) {
      expect(install.split(/\s+/)).toContain(pkg);
    }
    // The version step, run by bash as the runner does, with kvm-lab where npm install puts it.
    const project = path.join(work, `${name}-ci`);
    await fs.copy(dir, project);
    await fs.outputFile(path.join(project, "node_modules", ".bin", "kvm-lab"), `#!/bin/sh\nexec node ${path.join(ROOT, "dist", "cli", "bin.js")} "$@"\n`, { mode: 0o755 });
    const output = path.join(project, "github-output");
    const ran = await execa("bash", ["-e", "-c", versionRun], { cwd: project, env: { GITHUB_OUTPUT: output, npm_config_offline: "true" }, reject: false });
    expect(ran.stderr).toBe("");
    expect(ran.exitCode).toBe(0);
    const version = (await kvmLab(["box", "version", recipe], { cwd: ROOT })).stdout.trim();
    expect(version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await fs.readFile(output, "utf8")).toBe(`version=${version}\n`);
    expect(cacheKey.replace(`\${{ steps.${versionStep}.outputs.version }}`, version)).toBe(`kvm-lab-box-${recipe}-${version}-libvirt`);
    await fs.remove(project);
  });

  test("the README states the CI's cold and cached times from the one data module, as software emulation", async () => {
    const readme = await fs.readFile(path.join(dir, "README.md"), "utf8");
    expect(readme).toContain(ciTimesSentence(CI_TIMES));
    expect(ciTimesSentence(CI_TIMES)).toMatch(new RegExp(`about ${CI_TIMES.coldMinutes} minutes when the box cache misses .* and ${CI_TIMES.cachedMinutes} when it hits`));
    expect(ciTimesSentence(CI_TIMES)).toMatch(/software emulation/);
  });
});

describe("create-kvm-lab choices and refusals", () => {
  test("--machines sets the count; out of range names the range", async () => {
    expect((await createKvmLab(["three", "-t", "nested-pair", "-m", "3", "-y"], { cwd: work })).exitCode).toBe(0);
    expect((await loadLab(path.join(work, "three"))).lab.machines.map((m) => m.name)).toEqual(["kvm1", "kvm2", "kvm3"]);
    const readme = await fs.readFile(path.join(work, "three", "README.md"), "utf8");
    expect(readme).toContain("Three KVM hosts (`kvm1`, `kvm2`, `kvm3`)");
    expect(readme).toContain("Node.js 20.12 or newer");
    expect(readme).toMatch(/npm run validate +# /);
    expect((await createKvmLab(["os3", "-t", "openstack", "-m", "3", "-y"], { cwd: work })).exitCode).toBe(0);
    expect(await fs.readFile(path.join(work, "os3", "README.md"), "utf8")).toContain("`compute1`, `compute2`, `compute3`: the three Nova compute nodes");
    const bad = await createKvmLab(["nine", "-t", "nested-pair", "-m", "9", "-y"], { cwd: work });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--machines: 9 KVM hosts is out of range\nhint: use a whole number from 2 to 8/);
    expect(await fs.pathExists(path.join(work, "nine"))).toBe(false);
  });

  test("a box the recipes at hand cannot build stops the scaffold, naming it, and leaves nothing", async () => {
    const result = await createKvmLab(["no-recipe", "-t", "minimal", "-y"], { cwd: work, env: { KVM_LAB_RECIPES: path.join(ROOT, "test", "fixtures", "recipes") } });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/the minimal template names a box kvm-lab cannot build: "kvm-lab\/debian-13-kvm" names no recipe kvm-lab ships/);
    expect(await fs.pathExists(path.join(work, "no-recipe"))).toBe(false);
  });

  test("an unknown template lists the known ones", async () => {
    const result = await createKvmLab(["x", "--template", "openstak", "-y"], { cwd: work });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--template: "openstak" is not a template \(did you mean "openstack"\?\)/);
    for (const name of TEMPLATE_NAMES) expect(result.stderr).toContain(name);
    expect(await fs.pathExists(path.join(work, "x"))).toBe(false);
  });

  test("an invalid --name is refused with a valid suggestion; a folder name that cannot be one is replaced", async () => {
    const named = await createKvmLab(["ok-dir", "--name", "My Lab!", "-y"], { cwd: work });
    expect(named.exitCode).toBe(2);
    expect(named.stderr).toMatch(/--name: "My Lab!" is not a valid project name\nhint: use "my-lab"/);
    const reserved = await createKvmLab(["ok-dir", "--name", "kvm-lab", "-y"], { cwd: work });
    expect(reserved.stderr).toMatch(/hint: use "my-kvm-lab"/);
    const fromDir = await createKvmLab(["Ünïcode Lab", "-y"], { cwd: work });
    expect(fromDir.exitCode).toBe(0);
    expect(fromDir.stderr).toMatch(/"Ünïcode Lab" cannot name a project; naming it "unicode-lab"/);
    expect(fromDir.stdout).toContain("  cd 'Ünïcode Lab'\n"); // one shell word to paste
    expect((await loadLab(path.join(work, "Ünïcode Lab"))).lab.name).toBe("unicode-lab");
  });

  test("a folder that is not empty is refused without --force; with it, files in the way are kept", async () => {
    const dir = path.join(work, "taken");
    await fs.ensureDir(dir);
    await fs.writeFile(path.join(dir, "README.md"), "my notes\n");
    await fs.writeFile(path.join(dir, "other.txt"), "keep me\n");
    const refused = await createKvmLab(["taken", "-y"], { cwd: work });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/is not empty; not writing a project into it\nhint: .*--force/);
    expect(await filesUnder(dir)).toEqual(["README.md", "other.txt"]);
    expect((await fs.readdir(work)).filter((f) => f.includes("kvm-lab-"))).toEqual([]);

    const forced = await createKvmLab(["taken", "-y", "--force"], { cwd: work });
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toContain("kept your README.md as README.md.kvm-lab.bak");
    expect(await fs.readFile(path.join(dir, "README.md.kvm-lab.bak"), "utf8")).toBe("my notes\n");
    expect(await fs.readFile(path.join(dir, "other.txt"), "utf8")).toBe("keep me\n");
    expect(await fs.readFile(path.join(dir, "README.md"), "utf8")).toMatch(/^# taken\n/);
  });

  test("kvm-lab init makes the same project", async () => {
    const result = await kvmLab(["init", "via-init", "-t", "minimal", "-p", "libvirt", "-y"], { cwd: work });
    expect(result.exitCode).toBe(0);
    expect(await filesUnder(path.join(work, "via-init"))).toEqual(await expectedProjectFiles());
    const direct = path.join(work, "via-create");
    await createKvmLab([direct, "-t", "minimal", "-p", "libvirt", "-y", "--name", "via-init"], { cwd: work });
    for (const file of ["kvm-lab.config.ts", "Vagrantfile", "README.md", "topology.svg"]) {
      expect(await fs.readFile(path.join(work, "via-init", file), "utf8")).toBe(await fs.readFile(path.join(direct, file), "utf8"));
    }
  });

  test("a failure half-way (a full disk) leaves nothing behind", async () => {
    const mount = await tempDir("kvm-lab-create-full-");
    const mounted = await execa("mount", ["-t", "tmpfs", "-o", "size=24k", "tmpfs", mount], { reject: false });
    if (mounted.exitCode !== 0) {
      process.stderr.write(`create: skipping the full-disk test: cannot mount a tmpfs (${mounted.stderr.trim()})\n`);
      await fs.remove(mount);
      return;
    }
    try {
      const result = await createKvmLab(["deep/er/lab", "-t", "openstack", "-y"], { cwd: mount });
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/ENOSPC/);
      expect(await fs.readdir(mount)).toEqual([]);
    } finally {
      await execa("umount", [mount]);
      await fs.remove(mount);
    }
  });

  test("npm create kvm-lab: the create-kvm-lab package's bin reaches the scaffolder", async () => {
    const modules = path.join(work, "npm-create", "node_modules");
    await fs.ensureDir(modules);
    await fs.copy(path.join(ROOT, "packages", "create-kvm-lab"), path.join(modules, "create-kvm-lab"));
    await fs.symlink(ROOT, path.join(modules, "kvm-lab"));
    const pkg = await fs.readJson(path.join(modules, "create-kvm-lab", "package.json"));
    const bin = path.join(modules, "create-kvm-lab", pkg.bin["create-kvm-lab"]);
    const result = await execa("node", [bin, "wrapped", "-y"], { cwd: path.join(work, "npm-create"), reject: false, stdin: "ignore" });
    expect(result.exitCode).toBe(0);
    expect(await filesUnder(path.join(work, "npm-create", "wrapped"))).toEqual(await expectedProjectFiles());
    expect(pkg.dependencies["kvm-lab"]).toBe(`^${(await fs.readJson(path.join(ROOT, "package.json"))).version}`);
  });
});


describe("create-kvm-lab on a terminal", () => {
  const tmuxMissing = (() => {
    try {
      return execaSync("tmux", ["-V"], { reject: false }).exitCode !== 0;
    } catch {
      return true;
    }
  })();
  if (tmuxMissing) process.stderr.write("create: tmux is missing, skipping the pseudo-terminal tests\n");
  const maybe = tmuxMissing ? test.skip : test;

  maybe("asks for folder, name, template, provider and count, then writes the project", async () => {
    const status = path.join(work, "tty-status");
    const session = await TmuxSession.start(`kvm-lab-create-${process.pid}`, `node ${CREATE_BIN}; echo $? > ${status}; sleep 30`, work);
    try {
      await session.waitFor(/Project folder/);
      await session.send(["tty-lab"], { literal: true });
      await session.send(["Enter"]);
      await session.waitFor(/Project and lab name/);
      await session.send(["Enter"]); // the default: the folder's name
      await session.waitFor(/Template[\s\S]*network-modes/);
      await session.send(["Down"]);
      await session.send(["Enter"]); // nested-pair
      await session.waitFor(/Provider[\s\S]*libvirt/);
      await session.send(["Down"]);
      await session.send(["Enter"]); // libvirt
      await session.waitFor(/How many KVM hosts\? \(2-8\)/);
      await session.send(["9"], { literal: true });
      await session.send(["Enter"]);
      await session.waitFor(/a whole number from 2 to 8/); // refused, asked again
      await session.send(["BSpace"]);
      await session.send(["3"], { literal: true });
      await session.send(["Enter"]);
      const screen = await session.waitFor(/Next: cd tty-lab && npm install/);
      expect(screen).toMatch(/nested-pair lab "tty-lab" for libvirt/);
      await waitForFile(status);
      expect((await fs.readFile(status, "utf8")).trim()).toBe("0");
    } finally {
      await session.kill();
    }
    const { lab } = await loadLab(path.join(work, "tty-lab"));
    expect([lab.name, lab.provider, lab.machines.length]).toEqual(["tty-lab", "libvirt", 3]);
  });

  maybe("Ctrl-C at a question writes nothing and exits 130", async () => {
    const status = path.join(work, "tty-cancel-status");
    const session = await TmuxSession.start(`kvm-lab-cancel-${process.pid}`, `node ${CREATE_BIN} cancelled-lab; echo $? > ${status}; sleep 30`, work);
    try {
      await session.waitFor(/Project and lab name/);
      await session.send(["C-c"]);
      await session.waitFor(/nothing was written/);
      await waitForFile(status);
      expect((await fs.readFile(status, "utf8")).trim()).toBe("130");
      const screen = await session.screen();
      expect(screen.match(/nothing was written/g)).toHaveLength(1); // said once, not again by the error report
    } finally {
      await session.kill();
    }
    expect(await fs.pathExists(path.join(work, "cancelled-lab"))).toBe(false);
  });
});

async function waitForFile(file: string): Promise<void> {
  for (let i = 0; i < 100 && !(await fs.pathExists(file)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

test("kvm-lab init writes into the current folder; again with --force keeps only what differs", async () => {
  const dir = path.join(work, "init-here");
  await fs.ensureDir(dir);
  expect((await kvmLab(["init", "-y", "-t", "minimal"], { cwd: dir })).exitCode).toBe(0);
  expect(await filesUnder(dir)).toEqual(await expectedProjectFiles());
  await fs.appendFile(path.join(dir, "kvm-lab.config.ts"), "// my edit\n");
  expect((await kvmLab(["init", "-y", "-t", "minimal"], { cwd: dir })).exitCode).toBe(2);
  const forced = await kvmLab(["init", "-y", "-t", "minimal", "--force"], { cwd: dir });
  expect(forced.exitCode).toBe(0);
  expect(await filesUnder(dir)).toEqual([...(await expectedProjectFiles()), "kvm-lab.config.ts.kvm-lab.bak"].sort());
  expect(await fs.readFile(path.join(dir, "kvm-lab.config.ts.kvm-lab.bak"), "utf8")).toMatch(/\/\/ my edit\n$/);
  // A second edit and --force: the first backup stays, the second gets the next name.
  await fs.appendFile(path.join(dir, "kvm-lab.config.ts"), "// my second edit\n");
  const again = await kvmLab(["init", "-y", "-t", "minimal", "--force"], { cwd: dir });
  expect(again.stdout).toContain("kept your kvm-lab.config.ts as kvm-lab.config.ts.kvm-lab.bak.1");
  expect(await fs.readFile(path.join(dir, "kvm-lab.config.ts.kvm-lab.bak"), "utf8")).toMatch(/\/\/ my edit\n$/);
  expect(await fs.readFile(path.join(dir, "kvm-lab.config.ts.kvm-lab.bak.1"), "utf8")).toMatch(/\/\/ my second edit\n$/);
});

test("kvm-lab topology writes DOT and SVG files", async () => {
  const dir = path.join(work, "draw");
  await createKvmLab([dir, "-t", "openstack", "-y"], { cwd: work });
  const dot = await kvmLab(["topology", "--format", "dot"], { cwd: dir });
  expect(dot.stdout).toMatch(/^graph topology \{/);
  expect(dot.stdout).toContain("<TD>controller</TD></TR><TR><TD>4 vCPU, 6144 MiB, nested</TD>");
  const svg = await kvmLab(["topology", "-f", "svg", "-o", "again.svg"], { cwd: dir });
  expect(svg.exitCode).toBe(0);
  expect(await fs.readFile(path.join(dir, "again.svg"), "utf8")).toBe(await fs.readFile(path.join(dir, "topology.svg"), "utf8"));
});
