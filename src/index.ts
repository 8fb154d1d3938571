// The library API of kvm-lab.
export { defineLab } from "./config/define.js";
export { loadLab, checkConfig, findConfigFile, importConfig, CONFIG_NAMES, CONFIG_EXTENSIONS } from "./config/load.js";
export type * from "./config/types.js";
export { renderVagrantfile } from "./render/vagrantfile.js";
export { writeVagrantfile } from "./render/write.js";
export { planLab } from "./net/plan.js";
export { defineRecipe } from "./boxes/recipe.js";
export type { BoxRecipe, RecipeFile } from "./boxes/recipe.js";
export { buildBox } from "./boxes/build.js";
export * from "./errors.js";
