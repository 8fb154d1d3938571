// The box recipes shipped under boxes/<name>/recipe.ts.
import path from "node:path";
import fs from "fs-extra";
import { importDefault } from "../config/import-module.js";
import { closest } from "../config/suggest.js";
import { UsageError } from "../errors.js";
import { PACKAGE_ROOT } from "../paths.js";
import type { BoxRecipe } from "./recipe.js";

/** The recipes folder: the package's boxes/, or $KVM_LAB_RECIPES (recipes of your own). */
export function recipesDir(): string {
  return process.env.KVM_LAB_RECIPES ?? path.join(PACKAGE_ROOT, "boxes");
}

export async function listRecipeNames(): Promise<string[]> {
  const dir = recipesDir();
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await fs.pathExists(path.join(dir, entry.name, "recipe.ts")))) names.push(entry.name);
  }
  return names.sort();
}

/** The recipe, evaluated (its imports resolved), and its file. */
export async function loadRecipe(name: string): Promise<{ recipe: BoxRecipe; file: string }> {
  const names = await listRecipeNames();
  if (!names.includes(name)) {
    const guess = closest(name, names);
    throw new UsageError(`no box recipe "${name}"`, {
      hint: `${guess ? `did you mean "${guess}"? ` : ""}known recipes: ${names.join(", ")} (kvm-lab box list)`,
    });
  }
  const file = path.join(recipesDir(), name, "recipe.ts");
  const recipe = (await importDefault(file)) as BoxRecipe;
  if (recipe.name !== name) throw new UsageError(`${file} names itself "${recipe.name}", not "${name}"`, { hint: "make the recipe's name its folder's name" });
  return { recipe, file };
}
