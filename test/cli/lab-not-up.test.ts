// A rendered lab that was never brought up, driven by the real vagrant (no fake): `check`
// and `ssh-config` name the machines that are not running with vagrant's state for them and
// the fix. VirtualBox through the VBoxManage twin on PATH, libvirt against the tests' libvirtd;
// nothing boots.
import path from "node:path";
import fs from "fs-extra";
import { kvmLab } from "../support/cli.js";
import { wellFormedXml } from "../support/project.js";
import { tempDir, TWIN_BIN } from "../support/tools.js";

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-not-up-");
});
afterEach(() => fs.remove(dir));

for (const provider of ["virtualbox", "libvirt"] as const) {
  test(`${provider}: check and ssh-config before up say not running (not_created) and run kvm-lab up`, async () => {
    await fs.writeJson(path.join(dir, "kvm-lab.config.json"), { name: "notup", box: "b", provider, machines: [{ name: "node1" }, { name: "node2" }] });
    const env: Record<string, string> = provider === "virtualbox" ? { PATH: `${TWIN_BIN}:${process.env.PATH}`, KVMLAB_TWIN_HOME: path.join(dir, "twin") } : {};
    expect((await kvmLab(["render"], { cwd: dir, env })).exitCode).toBe(0);
    const junit = path.join(dir, "report.xml");
    const check = await kvmLab(["check", "--json", "--junit", junit], { cwd: dir, env });
    expect(check.exitCode).toBe(1);
    const report = JSON.parse(check.stdout);
    expect(report.passed).toBe(false);
    for (const machine of report.machines) {
      expect(machine).toMatchObject({ reachable: false, state: "not_created", error: "not running (vagrant status: not_created)", fix: "run kvm-lab up", checks: [] });
    }
    expect((await wellFormedXml(junit)).ok).toBe(true);
    expect(await fs.readFile(junit, "utf8")).toContain("not running (vagrant status: not_created)\nfix: run kvm-lab up");
    const ssh = await kvmLab(["ssh-config"], { cwd: dir, env });
    expect(ssh.exitCode).toBe(4);
    expect(ssh.stderr).toContain("node1: not running (vagrant status: not_created); run kvm-lab up");
    expect(ssh.stderr).toContain("node2: not running (vagrant status: not_created); run kvm-lab up");
    for (const text of [check.stdout, check.stderr, ssh.stdout, ssh.stderr]) expect(text).not.toContain("the state that you expect");
  });
}
