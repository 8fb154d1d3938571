import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { VagrantMissingError } from "../../errors.js";
import { renderVagrantfile } from "../../render/vagrantfile.js";
import { validateWithVagrant } from "../../vagrant/validate.js";
import { loadForCommand, type Io, type LabArgs } from "../context.js";

/** Config checks, then Vagrant's own `vagrant validate` of the rendered file when vagrant is there. */
export async function validateCommand(io: Io, args: LabArgs): Promise<number> {
  const loaded = await loadForCommand(io, args);
  const { lab } = loaded;
  io.out(`config ok: ${path.relative(io.cwd, loaded.file) || loaded.file} (${lab.machines.length} machines, provider ${lab.provider})`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kvm-lab-validate-"));
  try {
    await fs.writeFile(path.join(dir, "Vagrantfile"), renderVagrantfile(lab));
    const said = await validateWithVagrant(lab.provider, { cwd: dir });
    io.out(`vagrant validate: ${said.split("\n").pop() || "ok"}`);
  } catch (error) {
    if (!(error instanceof VagrantMissingError)) throw error;
    io.err(`vagrant validate skipped: ${error.message}`);
  } finally {
    await fs.remove(dir);
  }
  return 0;
}
