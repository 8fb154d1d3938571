// VirtualBox disks need Vagrant's experimental "disks" feature before Vagrant 2.4.0, and the
// rendered Vagrantfile turns it on for itself. Proven with the real `vagrant validate`:
// Vagrant checks disk names only when the feature is on, so two disks of one name (which
// kvm-lab's rules refuse; here they bypass them) fail validation only if the file enabled it.
import { normalizeLab } from "../../../src/config/normalize.js";
import { renderVagrantfile } from "../../../src/render/vagrantfile.js";
import { vagrantValidate } from "../../support/tools.js";

test("the Vagrantfile enables Vagrant's disks feature itself (plain vagrant validate sees the disks)", async () => {
  const twice = normalizeLab({
    name: "disks",
    box: "debian/bookworm64",
    provider: "virtualbox",
    machines: [{ name: "m1", disks: [{ name: "data", sizeGiB: 2 }, { name: "data", sizeGiB: 3 }] }],
  }).lab;
  const refused = await vagrantValidate(renderVagrantfile(twice), "virtualbox");
  expect(refused.ok).toBe(false);
  expect(refused.output).toMatch(/data/);
  expect(refused.output).toMatch(/Features:\s+disks/);

  const fine = normalizeLab({ name: "disks", box: "debian/bookworm64", provider: "virtualbox", machines: [{ name: "m1", diskSizeGiB: 20, disks: [{ name: "data", sizeGiB: 2 }] }] }).lab;
  const passed = await vagrantValidate(renderVagrantfile(fine), "virtualbox");
  expect(passed.output).toContain("Vagrantfile validated successfully");
}, 60_000);
