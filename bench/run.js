// npm run bench: prints numbers, asserts nothing. Render time for labs of 1, 10 and 100
// machines with all 8 adapters each (adapter 1 + 7 NICs), the CLI's start-up time, and
// issue 13's bound: a 100-machine lab using every field renders within 2x of --help; issue
// 15's: a 200-machine lab is placed onto 20 hosts in under 100 ms (bench/hosts.js).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkConfig } from "../dist/config/load.js";
import { renderVagrantfile } from "../dist/render/vagrantfile.js";
import { benchBoxes } from "./boxes.js";
import { benchChecks } from "./checks.js";
import { benchCreate } from "./create.js";
import { benchEveryField } from "./every-field.js";
import { benchHosts } from "./hosts.js";
import { benchMultiHost } from "./multi-host.js";
import { timeMs } from "./util.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "dist", "cli", "bin.js");

/** A lab of `count` machines, each with 7 NICs over every shared mode and the per-NIC ones. */
function labOf(count) {
  return {
    name: "bench",
    box: "debian/bookworm64",
    networks: {
      mgmt: { mode: "hostonly", cidr: "192.168.56.0/22" },
      tenant: { mode: "intnet", cidr: "10.10.0.0/16" },
      storage: { mode: "intnet", cidr: "10.20.0.0/16" },
      outside: { mode: "natnetwork", cidr: "10.0.8.0/22" },
      lan: { mode: "bridged", bridge: "eth0" },
    },
    machines: Array.from({ length: count }, (_, i) => ({
      name: `node${i}`,
      nics: [
        { network: "mgmt", ip: `192.168.${56 + Math.floor((i + 10) / 256)}.${(i + 10) % 256}` },
        { network: "tenant", ip: `10.10.${Math.floor(i / 200)}.${(i % 200) + 10}`, nicType: "virtio", promisc: "allow-all" },
        { network: "storage", ip: `10.20.${Math.floor(i / 200)}.${(i % 200) + 10}` },
        { network: "outside" },
        { network: "lan" },
        { mode: "null" },
        { mode: "generic", driver: "UDPTunnel", properties: { dest: "127.0.0.1" } },
      ],
      forwards: [{ guest: 22, host: 20000 + i }],
      provision: ["apt-get install -y qemu-kvm"],
    })),
  };
}

console.log("render (check config + render Vagrantfile), median of runs");
renderVagrantfile(checkConfig(labOf(1)).lab); // compile the templates once, as a CLI run would
for (const count of [1, 10, 100]) {
  const config = labOf(count);
  const runs = count === 100 ? 20 : 100;
  let lab;
  const check = timeMs(() => (lab = checkConfig(config).lab), runs);
  let text = "";
  const render = timeMs(() => (text = renderVagrantfile(lab)), runs);
  console.log(
    `  ${String(count).padStart(3)} machines x 8 adapters: check ${check.median.toFixed(2)} ms, render ${render.median.toFixed(2)} ms` +
      ` (${(text.length / 1024).toFixed(0)} KiB, ${text.split("\n").length} lines)`,
  );
}
console.log(`  peak memory of this benchmark process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB RSS`);

console.log("CLI start-up, median of 10 runs");
for (const args of [["--help"], ["render", "--stdout", "--config", "examples/nested-lab/kvm-lab.config.ts"]]) {
  const t = timeMs(() => execFileSync("node", [BIN, ...args], { cwd: ROOT, stdio: "ignore" }), 10);
  console.log(`  kvm-lab ${args.join(" ")}: ${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)} ms)`);
}

await benchEveryField();
await benchHosts();
benchMultiHost();
await benchCreate(labOf);
await benchBoxes();
await benchChecks();
