import path from "node:path";
import { UsageError } from "../../errors.js";
import { buildBox } from "../../boxes/build.js";
import { BOX_PROVIDERS, type BoxProvider } from "../../boxes/formats.js";
import { listRecipeNames, loadRecipe } from "../../boxes/registry.js";
import { formatTable } from "../../text/table.js";
import type { Io } from "../context.js";

export interface BoxArgs {
  action: "build" | "list";
  recipe?: string;
  provider?: BoxProvider | "all";
  out?: string;
  cache?: string;
  force?: boolean;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** `box list`: the recipes; `box build`: a recipe's boxes and catalog. */
export async function boxCommand(io: Io, args: BoxArgs): Promise<number> {
  if (args.action === "list") {
    const rows: string[][] = [];
    for (const name of await listRecipeNames()) {
      const { recipe } = await loadRecipe(name);
      rows.push([name, recipe.version, `${recipe.diskGiB} GiB`, recipe.description]);
    }
    io.out(formatTable(["recipe", "version", "disk", "what is inside"], rows));
    return 0;
  }
  if (!args.recipe) throw new UsageError("box build needs a recipe", { hint: "kvm-lab box build <recipe>; kvm-lab box list names them" });
  const providers = !args.provider || args.provider === "all" ? BOX_PROVIDERS : [args.provider];
  const outDir = path.resolve(io.cwd, args.out ?? "boxes-out");
  const result = await buildBox({ recipe: args.recipe, providers, outDir, cacheDir: args.cache, force: args.force, progress: io.err });
  for (const box of result.boxes) {
    io.out(`${path.relative(io.cwd, box.file) || box.file}  ${mib(box.bytes)}  sha256 ${box.sha256}${box.reused ? "  (reused)" : ""}`);
  }
  io.out(`catalog: ${path.relative(io.cwd, result.catalog)}  (vagrant box add ${path.relative(io.cwd, result.catalog)})`);
  io.err(`built in ${result.seconds.toFixed(0)} s`);
  return 0;
}
