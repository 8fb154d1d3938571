// The CI workflow's box steps for any lab, not only the templates': which kvm-lab recipes a
// lab's machines name (per provider), that a lab of public boxes gets no box steps, and that
// two recipes get two wired sets. The YAML is read by real Ruby (YAML.safe_load).
import path from "node:path";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import { listRecipeNames } from "../../../src/boxes/registry.js";
import { renderReadme, renderWorkflow } from "../../../src/create/files.js";
import { ciBoxOf, kvmLabRecipesOf, recipeNameProblem } from "../../../src/create/lab-boxes.js";
import { boxStepsOf, workflowSteps } from "../../support/project.js";
import { tempDir } from "../../support/tools.js";

const lab = (provider: "libvirt" | "virtualbox") =>
  checkConfig(
    {
      name: "mixed",
      provider,
      box: "kvm-lab/debian-13-kvm",
      machines: [
        { name: "one" },
        { name: "two", box: "debian/trixie64" },
        { name: "three", libvirt: { box: "kvm-lab/debian-13-minimal" }, virtualbox: { box: "bento/debian-13" } },
        { name: "four" },
      ],
    },
    { provider },
  ).lab;

test("a lab's kvm-lab recipes: each once, sorted, on the provider it runs under", () => {
  expect(kvmLabRecipesOf(lab("libvirt"))).toEqual(["debian-13-kvm", "debian-13-minimal"]);
  expect(kvmLabRecipesOf(lab("virtualbox"))).toEqual(["debian-13-kvm"]);
});

test("a box name that is no shipped recipe, or no safe word, is named with the known ones", async () => {
  const known = await listRecipeNames();
  expect(known).toEqual(expect.arrayContaining(["debian-13-kvm", "debian-13-minimal"]));
  expect(recipeNameProblem("debian-13-kvm", known)).toBeUndefined();
  expect(recipeNameProblem("debian-14-kvm", known)).toMatch(/"kvm-lab\/debian-14-kvm" names no recipe kvm-lab ships \(known: .*debian-13-kvm/);
  expect(recipeNameProblem("x; rm -rf /", known)).toMatch(/does not name a recipe/);
});

describe("the rendered workflow", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir("kvm-lab-workflow-");
  });
  afterEach(() => fs.remove(dir));

  async function stepsOf(recipes: string[]) {
    await fs.outputFile(path.join(dir, ".github", "workflows", "kvm-lab.yml"), await renderWorkflow(recipes));
    return (await workflowSteps(dir)).steps;
  }

  test("public boxes only: no box steps and no box-building tools, the lab steps as before", async () => {
    const steps = await stepsOf([]);
    const runs = steps.map((s) => s.run ?? "").join("\n");
    expect(runs).not.toMatch(/kvm-lab box|debootstrap|vagrant box add/);
    expect(steps.some((s) => s.uses?.startsWith("actions/cache"))).toBe(false);
    expect(steps.map((s) => s.run?.trim()).filter((r) => r?.startsWith("npm"))).toEqual(["npm install", "npm test -- --provider libvirt"]);
  });

  test("two recipes: each its own version, cache, build-on-miss and add, with distinct step ids and folders", async () => {
    const steps = await stepsOf(["debian-13-kvm", "debian-13-minimal"]);
    const kvm = boxStepsOf(steps, "debian-13-kvm");
    const minimal = boxStepsOf(steps, "debian-13-minimal");
    expect(kvm.versionStep).not.toBe(minimal.versionStep);
    const ids = steps.map((s) => s.id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/); // GitHub's rule for step ids
    const paths = steps.filter((s) => s.uses === "actions/cache@v4").map((s) => s.with!.path);
    expect(paths).toEqual(["boxes-out/debian-13-kvm", "boxes-out/debian-13-minimal"]);
    expect(steps.filter((s) => /apt-get install -y debootstrap/.test(s.run ?? ""))).toHaveLength(1);
  });

  test("a recipe name with a dot still makes valid step ids", () => {
    expect(ciBoxOf("debian-13.1-kvm").versionStep).toBe("box-version-debian-13_1-kvm");
  });
});

test("the README of a lab on public boxes says Vagrant downloads them, with no build and no cache times", async () => {
  const publicLab = checkConfig({ name: "pub", provider: "libvirt", box: "debian/trixie64", machines: [{ name: "one" }] }).lab;
  const readme = await renderReadme({ name: "pub", template: "minimal", provider: "libvirt" }, publicLab, "graph LR\n", [], []);
  expect(readme).toContain("The machines boot public boxes, which Vagrant downloads on the first `vagrant up`.");
  expect(readme).not.toMatch(/kvm-lab box|actions\/cache|software emulation/);
  const ownLab = lab("libvirt");
  const own = await renderReadme({ name: "mixed", template: "minimal", provider: "libvirt" }, ownLab, "graph LR\n", kvmLabRecipesOf(ownLab), kvmLabRecipesOf(ownLab));
  expect(own).toContain("`kvm-lab/debian-13-kvm` and `kvm-lab/debian-13-minimal` boxes (Debian 13)");
  expect(own).toContain("sudo npx kvm-lab box build debian-13-minimal --provider libvirt\nvagrant box add --force boxes-out/debian-13-minimal.json\n");
});
