// A box's version follows its content: the recipe's own semantic version plus a digest of
// everything the builder turns into bytes (the recipe as evaluated, the builder's format, the base
// packages, Vagrant's insecure key, the Debian mirror). A changed recipe or builder gives a
// new version, so `vagrant box add` keeps both and vagrant-libvirt never reuses the old
// image for the new box: its pool volume is named by box name and version
// (vagrant-libvirt lib/vagrant-libvirt/action/handle_box_image.rb, box_volume_name).
import { createHash } from "node:crypto";
import fs from "fs-extra";
import { findInsecureKey } from "./preflight.js";
import { loadRecipe } from "./registry.js";
import { BASE_PACKAGES, debianMirror } from "./rootfs.js";
import type { BoxRecipe } from "./recipe.js";

/**
 * Bumped whenever the builder makes different bytes from the same recipe (another step,
 * flag, file or tool). test/unit/boxes/builder-format.test.ts fails when the builder's
 * sources change until this is bumped (or the change is recorded as making no new bytes).
 */
export const BUILDER_FORMAT = 5;

export interface BoxContent {
  /** `<recipe version>.<digest as a number>`: "1.0.0.2847561023". */
  version: string;
  /** sha256 (hex) of the build's inputs: also the key that lets a finished box be reused. */
  digest: string;
}

/** What goes into a box's bytes besides the packages' own versions (see the mirror note in boxes/README.md). */
export interface BuildInputs {
  /** The recipe as evaluated: what it says counts (shared modules it imports too), not how it is written. */
  recipe: BoxRecipe;
  insecureKey: string;
  mirror: string;
}

/**
 * The content version of a recipe built from these inputs. The digest's first 32 bits
 * become a fourth numeric segment: Vagrant accepts only versions Gem::Version.correct?
 * takes (lib/vagrant/box_collection.rb, find), a number keeps it a release version that
 * sorts above the recipe's plain version, and the recipe's version still leads.
 */
export function boxContent(recipe: Pick<BoxRecipe, "version">, inputs: BuildInputs): BoxContent {
  // JSON of a recipe is stable: plain data, keys in the order the recipe writes them.
  const digest = createHash("sha256")
    .update(JSON.stringify({ recipe: inputs.recipe, BUILDER_FORMAT, BASE_PACKAGES, key: inputs.insecureKey.trim(), mirror: inputs.mirror }))
    .digest("hex");
  return { version: `${recipe.version}.${Number.parseInt(digest.slice(0, 8), 16)}`, digest };
}

/** The inputs this host would build a recipe with (the insecure key is empty where vagrant is missing). */
export async function buildInputs(recipe: BoxRecipe): Promise<BuildInputs> {
  const keyFile = await findInsecureKey();
  const insecureKey = keyFile ? await fs.readFile(keyFile, "utf8") : "";
  return { recipe, insecureKey, mirror: await debianMirror() };
}

/** A shipped (or $KVM_LAB_RECIPES) recipe's content version on this host, without building it. */
export async function recipeContent(name: string): Promise<BoxContent & { recipe: BoxRecipe }> {
  const { recipe } = await loadRecipe(name);
  return { recipe, ...boxContent(recipe, await buildInputs(recipe)) };
}

/**
 * The disk's file system ids, from the content digest instead of random bytes: the same
 * content makes the same disk, and every box's root still has its own UUID.
 */
export function diskIds(digest: string): { rootUuid: string; bootVolumeId: string } {
  const hex = createHash("sha256").update(`disk ids ${digest}`).digest("hex");
  // An RFC 4122 version 4 layout (variant bits 10), as uuidgen would write it.
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const rootUuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { rootUuid, bootVolumeId: hex.slice(32, 40) };
}

/** The VMDK descriptor's content id (8 hex digits) for boxes of this content, instead of qemu-img's random one. */
export function vmdkContentId(digest: string): string {
  return createHash("sha256").update(`vmdk cid ${digest}`).digest("hex").slice(0, 8);
}
