// Reusing .kvm-lab/ssh-config: only while every machine has an entry and none was
// (re)created since it was written.
import path from "node:path";
import fs from "fs-extra";
import { cachedSshConfig } from "../../../src/vagrant/ssh-config.js";
import { tempDir } from "../../support/tools.js";

test("reused while current, dropped when a machine is re-created or missing", async () => {
  const dir = await tempDir();
  try {
    const id = path.join(dir, ".vagrant", "machines", "m1", "libvirt", "id");
    await fs.outputFile(id, "uuid");
    const file = path.join(dir, ".kvm-lab", "ssh-config");
    await fs.outputFile(file, "Host m1\n  HostName 192.168.121.5\n");
    const past = new Date(Date.now() - 60_000);
    await fs.utimes(id, past, past);
    expect(await cachedSshConfig(dir, file, ["m1"], "libvirt")).toMatchObject({ hosts: ["m1"] });
    expect(await cachedSshConfig(dir, file, ["m1", "m2"], "libvirt")).toBeUndefined();
    expect(await cachedSshConfig(dir, file, ["m1"], "virtualbox")).toBeUndefined();
    const future = new Date(Date.now() + 60_000);
    await fs.utimes(id, future, future);
    expect(await cachedSshConfig(dir, file, ["m1"], "libvirt")).toBeUndefined();
  } finally {
    await fs.remove(dir);
  }
});
