// Load, then decide, then act: the host preflight decides the TCG fallback and returns it;
// the render applies it (and the header's source) to a copy. The loaded lab, frozen here,
// is never written to (a write to a frozen object throws in ES modules).
import path from "node:path";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import type { Lab } from "../../../src/config/types.js";
import { preflightHost } from "../../../src/host/preflight.js";
import { renderVagrantfile } from "../../../src/render/vagrantfile.js";
import { ROOT, tempDir } from "../../support/tools.js";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function frozenLab(): Lab {
  const config = { name: "frozen", box: "b", provider: "libvirt", machines: [{ name: "fast" }, { name: "slow", accel: "tcg" }] };
  return deepFreeze(checkConfig(config as never, {}).lab);
}

// The decision is the subject here, not libvirt: the fake vagrant and a stand-in virsh answer
// the version checks (the real ones are proven in test/e2e/).
test("where KVM cannot run guests, preflight returns the machines to emulate and leaves the lab as loaded", async () => {
  const lab = frozenLab();
  const before = JSON.stringify(lab);
  const bin = await tempDir("kvm-lab-preflight-");
  await fs.outputFile(path.join(bin, "virsh"), "#!/bin/sh\necho 'Running against daemon: 9.0.0'\n", { mode: 0o755 });
  const saved = { vagrant: process.env.KVM_LAB_VAGRANT, path: process.env.PATH };
  process.env.KVM_LAB_VAGRANT = path.join(ROOT, "test", "support", "fakes", "vagrant");
  process.env.PATH = `${bin}:${process.env.PATH}`;
  try {
    const facts = await preflightHost(lab, { cwd: await tempDir(), probe: async () => ({ runs: false, evidence: "no /dev/kvm" }) });
    expect(facts.tcg).toEqual(["fast"]);
    expect(facts.warnings.map((w) => w.message)).toEqual(["KVM cannot run guests here (no /dev/kvm); fast will use QEMU software emulation (slow)"]);
    const kvm = await preflightHost(lab, { cwd: await tempDir(), probe: async () => ({ runs: true, evidence: "a test guest ran" }) });
    expect(kvm.tcg).toEqual([]);
  } finally {
    if (saved.vagrant === undefined) delete process.env.KVM_LAB_VAGRANT;
    else process.env.KVM_LAB_VAGRANT = saved.vagrant;
    process.env.PATH = saved.path;
    await fs.remove(bin);
  }
  expect(JSON.stringify(lab)).toBe(before);
});

test("the render applies the TCG decision and the header's source to a copy, never to the lab", () => {
  const lab = frozenLab();
  const before = JSON.stringify(lab);
  const plain = renderVagrantfile(lab);
  const decided = renderVagrantfile(lab, { tcg: ["fast"], source: "labs/frozen.config.ts" });
  expect(plain.match(/libvirt\.driver = "kvm"/g)?.length).toBe(1);
  expect(decided).not.toMatch(/libvirt\.driver = "kvm"/);
  expect(decided.match(/libvirt\.driver = "qemu"/g)?.length).toBe(2);
  expect(decided).toContain("labs/frozen.config.ts");
  expect(JSON.stringify(lab)).toBe(before);
  expect(renderVagrantfile(lab)).toBe(plain);
});
