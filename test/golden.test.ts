// Golden Vagrantfiles: each case's config rendered for each provider must equal the file
// kept beside it. UPDATE_GOLDEN=1 rewrites them (review the diff); CI never sets it.
// Every golden file is also parsed by real Ruby and passed through the real `vagrant validate`.
import path from "node:path";
import fs from "fs-extra";
import { loadLab } from "../src/config/load.js";
import { PROVIDERS } from "../src/config/types.js";
import { renderVagrantfile } from "../src/render/vagrantfile.js";
import { libvirtReachable, readWithRuby, ROOT, vagrantValidate } from "./support/tools.js";

const GOLDEN = path.join(ROOT, "test", "golden");
const CASES: Record<string, readonly ("virtualbox" | "libvirt")[]> = {
  "every-mode": PROVIDERS,
  "tcg-pair": PROVIDERS,
  minimal: PROVIDERS,
  "folders-ssh": PROVIDERS,
  "folders-libvirt": ["libvirt"],
  "folders-virtualbox": ["virtualbox"],
  "provider-settings": PROVIDERS,
  provisioners: PROVIDERS,
  "multi-host": ["libvirt"],
};
const update = process.env.UPDATE_GOLDEN === "1" && !process.env.CI;
const libvirtUp = libvirtReachable();
if (!libvirtUp) process.stderr.write("golden: libvirtd not reachable, skipping `vagrant validate` of libvirt files\n");

describe.each(Object.entries(CASES))("golden %s", (name, providers) => {
  const dir = path.join(GOLDEN, name);

  test.each([...providers])("%s render equals the golden file", async (provider) => {
    const { lab } = await loadLab(dir, { provider });
    const text = renderVagrantfile(lab);
    const file = path.join(dir, `Vagrantfile.${provider}`);
    if (update) await fs.writeFile(file, text);
    expect(text).toBe(await fs.readFile(file, "utf8"));
    expect(renderVagrantfile((await loadLab(dir, { provider })).lab)).toBe(text); // reproducible
  });

  test.each([...providers])("%s golden file parses in Ruby", async (provider) => {
    const file = path.join(dir, `Vagrantfile.${provider}`);
    const result = (await readWithRuby([file]))[file];
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
  });

  test.each([...providers])("%s golden file passes vagrant validate", async (provider) => {
    if (provider === "libvirt" && !libvirtUp) return;
    // The case's folder is the lab folder: Vagrant checks the files provisioning steps name.
    const result = await vagrantValidate(await fs.readFile(path.join(dir, `Vagrantfile.${provider}`), "utf8"), provider, dir);
    expect(result.output).toContain("Vagrantfile validated successfully");
    expect(result.ok).toBe(true);
  });
});
