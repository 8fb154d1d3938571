// `kvm-lab plan`: what the config makes of each machine (adapters, addresses, reach), the
// hosts of a lab on several libvirt hosts with their load, and the fit on this host.
import path from "node:path";
import { addressText, planJson, planLab } from "../../net/plan.js";
import { expectedMatrix, type ExpectedPair } from "../../net/matrix.js";
import { formatTable } from "../../text/table.js";
import { formatHostsTable, hostsJson, machineHeading, spanLines, spansJson } from "../../report/hosts.js";
import { loadForCommand, type Io, type LabArgs } from "../context.js";
import { planFit } from "../fit.js";

/** Per machine: each adapter's slot, mode, network, address, MAC and what the mode reaches; on a lab with hosts, each host's load and each machine's host first. */
export async function planCommand(io: Io, args: LabArgs & { json?: boolean; matrix?: boolean }): Promise<number> {
  const { lab, file } = await loadForCommand(io, args);
  if (args.matrix) return printMatrix(io, lab.name, lab.provider, expectedMatrix(lab), args.json);
  const plan = planLab(lab);
  const fit = await planFit(lab, path.dirname(file));
  if (args.json) {
    // A lab with hosts: the hosts with their loads, and each machine's host (nothing new without hosts).
    const hosts = lab.hosts.length ? { hosts: hostsJson(lab), spans: spansJson(lab) } : {};
    const machines = planJson(plan).map((entry, i) => (lab.machines[i].host ? { ...entry, host: lab.machines[i].host } : entry));
    io.out(JSON.stringify({ lab: lab.name, provider: lab.provider, ...hosts, machines, resources: fit.json }, null, 2));
    return 0;
  }
  const header = ["slot", "mode", "network", "attached to", "ip", "mac", "host", "other VMs", "outside", "from host"];
  const blocks = plan.map(({ adapters }, i) =>
    [
      machineHeading(lab.machines[i]),
      formatTable(
        header,
        adapters.map((a) => [
          String(a.slot),
          a.mode,
          a.network ?? (a.slot === 1 ? "(vagrant)" : "-"),
          a.attachedTo ?? "-",
          addressText(a),
          a.mac ?? "auto",
          a.toHost,
          a.toOtherVms,
          a.toOutside,
          a.fromHost,
        ]),
      ),
    ].join("\n"),
  );
  const source = lab.provider === "libvirt" ? "as libvirt renders each mode" : "per VirtualBox's table of networking modes";
  io.out(`lab ${lab.name} (${lab.provider}); reach ${source} (plan --matrix lists every pair)\n`);
  if (lab.hosts.length) io.out(`${[formatHostsTable(lab, { width: io.outColumns ?? PIPED_WIDTH }), ...spanLines(lab)].join("\n")}\n`);
  io.out(blocks.join("\n\n"));
  io.out(`\n${fit.lines.join("\n")}`);
  return 0;
}

/** The address a pair's probe goes to, as far as the config knows it. */
export function targetText(pair: ExpectedPair): string {
  const { target } = pair;
  if (target.kind === "outside") return "(--outside)";
  if (target.kind === "host") return target.address ?? `host's address on ${target.device ?? "?"}`;
  return target.address ?? "DHCP";
}

/** The width a table for people may take: the terminal's, or 120 when stdout is not a terminal. */
const PIPED_WIDTH = 120;

function printMatrix(io: Io, lab: string, provider: string, pairs: ExpectedPair[], json?: boolean): number {
  if (json) {
    io.out(JSON.stringify({ lab, provider, pairs }, null, 2));
    return 0;
  }
  const rows = pairs.map((p) => [p.from, p.to, `${p.network} (${p.mode})`, targetText(p), p.expected ? "yes" : "no", `${p.rule}${p.libvirtDiffers ? " (unlike VirtualBox)" : ""}`]);
  io.out(`lab ${lab} (${provider}): what should reach what (kvm-lab check --network proves it)\n`);
  io.out(formatTable(["from", "to", "network (mode)", "address", "expected", "rule"], rows, { width: io.outColumns ?? PIPED_WIDTH }));
  return 0;
}
