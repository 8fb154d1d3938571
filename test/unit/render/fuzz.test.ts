// Fuzz: hostile strings as lab, machine, host, box and bridge names, provisioning steps
// (inline lines, script paths, args, env values, file paths, playbooks, extra_vars, groups),
// and the provider settings and escape-hatch options (hash keys and values) of issue 13.
// Validation would refuse most of them; the renderer must still emit them as literals, so
// here they bypass validation. Real Ruby evaluates every file and must read each value back
// exactly, which fails if any string could end its literal or interpolate (#{...}).
import path from "node:path";
import fs from "fs-extra";
import { normalizeLab } from "../../../src/config/normalize.js";
import type { LabConfig, Provider } from "../../../src/config/types.js";
import { literalInVagrantQuotes } from "../../../src/render/provision.js";
import { renderVagrantfile } from "../../../src/render/vagrantfile.js";
import { readWithRuby, tempDir } from "../../support/tools.js";

const PIECES = [
  '"', "'", "\\", "\\\\", "#{", "}", "#{`id`}", "#@x", "#$0", "#", "\n", "\r", "\t", "\u0000", "\u0007",
  "é", "日本語", "😀", "\u202e", "\u2028", "%q(", ")", "end", "`", "$(", "'; exit 1; '", "\\u{41}", "\\n",
  "__END__", "=begin", "<<~EOS", "a", "B", "1", " ", "-", ".", "/", ":", "=>",
];

/** Deterministic so a failure can be replayed: mulberry32. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const next = random(SEED);
function hostile(): string {
  const length = 1 + Math.floor(next() * 12);
  return Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join("");
}

function fuzzLab(provider: Provider): { config: LabConfig; values: string[] } {
  const values: string[] = [];
  const take = () => {
    const value = hostile();
    values.push(value);
    return value;
  };
  // A shell step's args and env values reach Ruby escaped for Vagrant's double quotes (render/provision.ts).
  const takeForShell = () => {
    const value = hostile();
    values.push(literalInVagrantQuotes(value));
    return value;
  };
  const config: LabConfig = {
    name: take(),
    provider,
    box: "unused",
    networks: { lan: { mode: "bridged", bridge: take() }, tenant: { mode: "intnet", cidr: "10.10.0.0/24" } },
    machines: Array.from({ length: 6 }, (_, i) => ({
      name: take(),
      hostname: take(),
      box: take(),
      nics: [{ network: "lan" }, { network: "tenant", ip: `10.10.0.${10 + i}` }],
      provision: [
        take(),
        take(),
        { type: "shell", name: take(), path: take(), args: [takeForShell(), takeForShell()], env: { KEY: takeForShell() }, privileged: false, run: "always" },
        { type: "file", name: take(), source: take(), destination: take() },
        { type: "ansible_local", name: take(), playbook: take(), provisioningPath: take(), extraVars: { [`k${i}`]: take(), nested: { list: [take(), 1, true] } }, groups: { g: [take()] }, limit: take(), verbose: take() },
      ],
      // The provider settings and the escape hatch: hostile text in every string they print,
      // hash keys included (only the rendered provider's values are expected back).
      ...(provider === "libvirt"
        ? {
            cpuModel: take(),
            libvirt: {
              keymap: take(),
              cpuFeatures: [{ name: take(), policy: "require" as const }],
              options: { qemu_env: { [take()]: take() }, title: take(), features: [take(), { [take()]: [take()] }] },
            },
          }
        : {
            disks: [{ name: take(), sizeGiB: 1 }],
            virtualbox: {
              name: take(),
              cpuProfile: take(),
              guestProperties: { [take()]: take() },
              options: { default_nic_type: take(), gui: { [take()]: take() } },
              customize: [
                { command: "modifyvm", args: [take(), take()] },
                { command: "guestproperty", args: ["set", take(), take()] },
              ],
            },
          }),
    })),
    // Hostnames reach /etc/hosts as the built-in step's arguments.
    etcHosts: { network: "tenant" },
  };
  return { config, values };
}

test.each(["virtualbox", "libvirt"] as const)("Ruby reads back every hostile string exactly (%s)", async (provider) => {
  const dir = await tempDir("kvm-lab-fuzz-");
  try {
    const labs = Array.from({ length: 40 }, () => fuzzLab(provider));
    const files = await Promise.all(
      labs.map(async ({ config }, index) => {
        const file = path.join(dir, `Vagrantfile.${index}`);
        await fs.writeFile(file, renderVagrantfile(normalizeLab(config).lab));
        return file;
      }),
    );
    const results = await readWithRuby(files);
    let checked = 0;
    labs.forEach(({ values }, index) => {
      const result = results[files[index]];
      if (!result.ok) throw new Error(`seed ${SEED}, lab ${index}: ${result.error}`);
      const seen = new Set(result.strings);
      // The lab name reaches Ruby inside the names it prefixes; the rest are values of their own.
      const [labName, ...own] = values;
      expect(seen.has(`${labName}-tenant`)).toBe(true);
      for (const value of own) {
        if (!seen.has(value)) throw new Error(`seed ${SEED}, lab ${index}: ${JSON.stringify(value)} did not come back`);
        checked++;
      }
    });
    process.stderr.write(`fuzz (${provider}, seed ${SEED}): ${checked} hostile strings read back exactly\n`);
    expect(checked).toBeGreaterThanOrEqual(1000);
  } finally {
    await fs.remove(dir);
  }
});
