// Helpers that run the real tools on what kvm-lab renders: Ruby and Vagrant.
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa, execaSync } from "execa";
import fs from "fs-extra";
import { checkConfig } from "../../src/config/load.js";
import type { LabConfig, Provider } from "../../src/config/types.js";
import { renderVagrantfile } from "../../src/render/vagrantfile.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The VBoxManage twin (test/support/vbox-twin): Vagrant's VirtualBox provider runs against it. */
export const TWIN_BIN = path.join(ROOT, "test", "support", "vbox-twin", "bin");
/** One VAGRANT_HOME for all test runs: Vagrant sets it up once, then starts faster. */
export const VAGRANT_HOME = path.join(os.tmpdir(), "kvm-lab-test-vagrant-home");

export async function tempDir(prefix = "kvm-lab-test-"): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Checks a config object and renders it; throws ConfigError like the CLI would. */
export function render(config: LabConfig, provider?: Provider): string {
  return renderVagrantfile(checkConfig(config, { provider }).lab);
}

export interface ReadBack {
  ok: boolean;
  strings?: string[];
  error?: string;
}

/** Real Ruby evaluates each file against a recording Vagrant; returns every string each passed. */
export async function readWithRuby(files: string[], env: Record<string, string> = {}): Promise<Record<string, ReadBack>> {
  const { stdout } = await execa("ruby", [path.join(ROOT, "test", "support", "read-vagrantfiles.rb"), ...files], { env });
  return JSON.parse(stdout);
}

/** `ruby -c`: a syntax check alone. */
export async function rubySyntaxOk(text: string): Promise<{ ok: boolean; output: string }> {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "Vagrantfile");
    await fs.writeFile(file, text);
    const result = await execa("ruby", ["-c", file], { reject: false, all: true });
    return { ok: result.exitCode === 0, output: String(result.all) };
  } finally {
    await fs.remove(dir);
  }
}

/** Whether libvirtd answers; bounded, since a hung libvirtd would hang every test file that asks. */
export function libvirtReachable(): boolean {
  try {
    return execaSync("virsh", ["-c", "qemu:///system", "version"], { reject: false, timeout: 20_000 }).exitCode === 0;
  } catch {
    return false;
  }
}

/**
 * The real `vagrant validate`, provider block included: for VirtualBox through the VBoxManage
 * twin; for libvirt against the tests' libvirtd. `beside`: a lab folder whose files (scripts,
 * synced folders) are copied next to the Vagrantfile, as Vagrant checks that they exist.
 */
export async function vagrantValidate(text: string, provider: Provider, labFolder?: string): Promise<{ ok: boolean; output: string }> {
  const dir = await tempDir("kvm-lab-validate-test-");
  try {
    // A lab folder's files (scripts, file sources) beside the Vagrantfile, as in the lab.
    if (labFolder) await fs.copy(labFolder, dir);
    await fs.writeFile(path.join(dir, "Vagrantfile"), text);
    const env: Record<string, string> = { VAGRANT_HOME, VAGRANT_DEFAULT_PROVIDER: provider, VAGRANT_CHECKPOINT_DISABLE: "1" };
    if (provider === "virtualbox") env.PATH = `${TWIN_BIN}:${process.env.PATH}`;
    const result = await execa("vagrant", ["validate"], { cwd: dir, env, reject: false, all: true, stdin: "ignore" });
    return { ok: result.exitCode === 0, output: String(result.all) };
  } finally {
    await fs.remove(dir);
  }
}
