// Vagrant's insecure key for the boxes: found in Debian's vagrant package and in HashiCorp's
// (what CI runners install from apt.releases.hashicorp.com), and every public key of its
// vagrant.pub (RSA, and ED25519 since Vagrant 2.3.8) written into authorized_keys. The two
// fixtures are keys/vagrant.pub of Debian's vagrant 2.3.4 and of hashicorp/vagrant's main.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { findInsecureKey, VAGRANT_GEM_DIRS } from "../../../src/boxes/preflight.js";
import { insecurePublicKeys, writeKeysCommand } from "../../../src/boxes/rootfs.js";
import { ROOT, tempDir } from "../../support/tools.js";

const KEYS = path.join(ROOT, "test", "fixtures", "vagrant-keys");

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-insecure-key-");
});
afterEach(() => fs.remove(dir));

async function putGem(gems: string, gem: string, fixture: string): Promise<string> {
  const key = path.join(gems, gem, "keys", "vagrant.pub");
  await fs.outputFile(key, await fs.readFile(path.join(KEYS, fixture)));
  return key;
}

test("HashiCorp's packaged Vagrant is searched beside Debian's", () => {
  expect(VAGRANT_GEM_DIRS).toEqual(["/usr/share/rubygems-integration/all/gems", "/opt/vagrant/embedded/gems/gems"]);
});

test("the key of the newest Vagrant gem is found, in either layout, by version number not text", async () => {
  const debian = path.join(dir, "usr/share/rubygems-integration/all/gems");
  const hashicorp = path.join(dir, "opt/vagrant/embedded/gems/gems");
  expect(await findInsecureKey([debian, hashicorp])).toBeUndefined();
  await fs.ensureDir(path.join(hashicorp, "vagrant_cloud-3.1.0", "keys")); // another gem: not Vagrant's
  const only = await putGem(hashicorp, "vagrant-2.4.9", "vagrant-2.4.pub");
  expect(await findInsecureKey([debian, hashicorp])).toBe(only);
  await putGem(debian, "vagrant-2.3.4", "vagrant-2.3.4.pub");
  const newest = await putGem(hashicorp, "vagrant-2.4.10", "vagrant-2.4.pub");
  expect(await findInsecureKey([debian, hashicorp])).toBe(newest);
});

test("every public key of vagrant.pub goes into authorized_keys, one a line", async () => {
  const old = insecurePublicKeys(await fs.readFile(path.join(KEYS, "vagrant-2.3.4.pub"), "utf8"));
  expect(old).toHaveLength(1);
  expect(old[0]).toMatch(/^ssh-rsa AAAA\S+ vagrant insecure public key$/);
  const both = insecurePublicKeys(await fs.readFile(path.join(KEYS, "vagrant-2.4.pub"), "utf8"));
  expect(both.map((key) => key.split(" ")[0])).toEqual(["ssh-rsa", "ssh-ed25519"]);
  expect(insecurePublicKeys("\n# a comment\r\nssh-ed25519 AAAA'x k\n\n")).toEqual(["ssh-ed25519 AAAAx k"]);

  // The real shell writes what ssh-keygen reads back as the same two keys.
  const file = path.join(dir, "authorized_keys");
  await execa("sh", ["-c", writeKeysCommand(both, file)]);
  expect(await fs.readFile(file, "utf8")).toBe(`${both.join("\n")}\n`);
  const listed = await execa("ssh-keygen", ["-l", "-f", file], { reject: false });
  if (listed.exitCode === 0) expect(listed.stdout.split("\n").map((line) => line.replace(/^.*\((\w+)\)$/, "$1"))).toEqual(["RSA", "ED25519"]);
});
