import path from "node:path";
import { UsageError } from "../../errors.js";
import { buildBox } from "../../boxes/build.js";
import { BOX_PROVIDERS, type BoxProvider } from "../../boxes/formats.js";
import { listRecipeNames } from "../../boxes/registry.js";
import { recipeContent } from "../../boxes/version.js";
import { formatTable } from "../../text/table.js";
import type { Io } from "../context.js";

export interface BoxArgs {
  action: "build" | "list" | "version";
  recipe?: string;
  provider?: BoxProvider | "all";
  out?: string;
  cache?: string;
  force?: boolean;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** `box list`: the recipes with their content versions; `box version`: one recipe's; `box build`: a recipe's boxes and catalog. */
export async function boxCommand(io: Io, args: BoxArgs): Promise<number> {
  if (args.action === "list") {
    const rows: string[][] = [];
    for (const name of await listRecipeNames()) {
      const { recipe, version } = await recipeContent(name);
      rows.push([name, version, recipe.suite, `${recipe.diskGiB} GiB`, recipe.description]);
    }
    io.out(formatTable(["recipe", "version", "Debian", "disk", "what is inside"], rows));
    return 0;
  }
  if (!args.recipe) throw new UsageError(`box ${args.action} needs a recipe`, { hint: `kvm-lab box ${args.action} <recipe>; kvm-lab box list names them` });
  if (args.action === "version") {
    // One line, for scripts: a CI cache key, `vagrant box add --box-version`.
    io.out((await recipeContent(args.recipe)).version);
    return 0;
  }
  const providers = !args.provider || args.provider === "all" ? BOX_PROVIDERS : [args.provider];
  const outDir = path.resolve(io.cwd, args.out ?? "boxes-out");
  const result = await buildBox({ recipe: args.recipe, providers, outDir, cacheDir: args.cache, force: args.force, progress: io.err });
  for (const box of result.boxes) {
    io.out(`${path.relative(io.cwd, box.file) || box.file}  ${mib(box.bytes)}  sha256 ${box.sha256}${box.reused ? "  (reused)" : ""}`);
  }
  io.out(`version: ${result.version}`);
  io.out(`catalog: ${path.relative(io.cwd, result.catalog)}  (vagrant box add ${path.relative(io.cwd, result.catalog)})`);
  io.err(`built in ${result.seconds.toFixed(0)} s`);
  return 0;
}
