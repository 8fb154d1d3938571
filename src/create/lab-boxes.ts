// The kvm-lab boxes a lab boots, as recipes: a machine whose box is `kvm-lab/<recipe>` (the
// name `kvm-lab box build` gives it in its catalog: src/boxes/formats.ts, writeCatalog) needs
// that recipe built and added before `vagrant up`, locally and in the generated CI workflow.
// Public boxes (debian/trixie64, bento/debian-13, ...) need nothing: Vagrant downloads them.
import type { Lab } from "../config/types.js";

export const KVM_LAB_BOX_PREFIX = "kvm-lab/";

/** Recipe names as `kvm-lab box` takes them: plain words, safe as shell words, YAML and step ids. */
const RECIPE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** Where `kvm-lab box build` writes unless --out (src/cli/commands/box.ts), here and in CI. */
export const BOX_OUT_DIR = "boxes-out";

/** The recipes of the kvm-lab boxes the lab's machines name, each once, sorted. */
export function kvmLabRecipesOf(lab: Lab): string[] {
  const recipes = lab.machines.map((machine) => machine.box).filter((box) => box.startsWith(KVM_LAB_BOX_PREFIX)).map((box) => box.slice(KVM_LAB_BOX_PREFIX.length));
  return [...new Set(recipes)].sort();
}

/** Why `recipe` cannot be built from a lab's box name, or undefined when it can. */
export function recipeNameProblem(recipe: string, known: readonly string[]): string | undefined {
  if (!RECIPE_NAME.test(recipe)) return `"${KVM_LAB_BOX_PREFIX}${recipe}" does not name a recipe (lower-case letters, digits, ".", "_" and "-")`;
  if (!known.includes(recipe)) return `"${KVM_LAB_BOX_PREFIX}${recipe}" names no recipe kvm-lab ships (known: ${known.join(", ")})`;
  return undefined;
}

/** What the CI workflow's box steps need of one recipe: its step ids, cache key and paths. */
export interface CiBox {
  recipe: string;
  box: string;
  versionStep: string;
  cacheStep: string;
  /** The folder the box is built into and cached from: a fixed path in the workspace, as the catalog's file:// URLs are absolute. */
  outDir: string;
  catalog: string;
  /** The GitHub Actions expression of the version the version step wrote. */
  versionExpression: string;
  cacheKey: string;
  /** The `if:` of the build step: only when the cache missed. */
  buildCondition: string;
}

/** The CI workflow's view of a recipe (the box it runs under is libvirt's, as the workflow runs `--provider libvirt`). */
export function ciBoxOf(recipe: string): CiBox {
  const versionStep = `box-version-${recipe}`.replace(/\./g, "_");
  const cacheStep = `box-cache-${recipe}`.replace(/\./g, "_");
  const versionExpression = `\${{ steps.${versionStep}.outputs.version }}`;
  const outDir = `${BOX_OUT_DIR}/${recipe}`;
  return {
    recipe,
    box: `${KVM_LAB_BOX_PREFIX}${recipe}`,
    versionStep,
    cacheStep,
    outDir,
    catalog: `${outDir}/${recipe}.json`,
    versionExpression,
    cacheKey: `kvm-lab-box-${recipe}-${versionExpression}-libvirt`,
    buildCondition: `steps.${cacheStep}.outputs.cache-hit != 'true'`,
  };
}

/** What the CI runner (Ubuntu 24.04) installs for every lab: Vagrant (HashiCorp's apt repository), libvirt, QEMU, and what vagrant-libvirt's install builds with. */
export const CI_LAB_PACKAGES = ["vagrant", "libvirt-daemon-system", "libvirt-dev", "qemu-system-x86", "qemu-utils", "dnsmasq-base", "ebtables", "build-essential"];

/**
 * What the CI runner (Ubuntu 24.04) installs to build boxes: the Debian packages of the tools
 * the builder's preflight asks for (src/boxes/preflight.ts, TOOLS and SYSLINUX_MBR's
 * syslinux-common), and debian-archive-keyring, with which debootstrap checks Debian's
 * archive on a host that is not Debian.
 */
export const CI_BOX_BUILD_PACKAGES = ["debootstrap", "debian-archive-keyring", "dosfstools", "mtools", "syslinux", "syslinux-common", "e2fsprogs", "fdisk", "qemu-utils"];
