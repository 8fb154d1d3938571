import { planLab } from "../../net/plan.js";
import { formatTable } from "../table.js";
import { loadForCommand, type Io, type LabArgs } from "../context.js";

/** Per machine: each adapter's slot, mode, network, address, MAC and what the mode reaches. */
export async function planCommand(io: Io, args: LabArgs & { json?: boolean }): Promise<number> {
  const { lab } = await loadForCommand(io, args);
  const plan = planLab(lab);
  if (args.json) {
    io.out(JSON.stringify({ lab: lab.name, provider: lab.provider, machines: plan }, null, 2));
    return 0;
  }
  const header = ["slot", "mode", "network", "attached to", "ip", "mac", "host", "other VMs", "outside", "from host"];
  const blocks = plan.map(({ machine, adapters }) =>
    [
      machine,
      formatTable(
        header,
        adapters.map((a) => [String(a.slot), a.mode, a.network, a.attachedTo, a.ip, a.mac, a.toHost, a.toOtherVms, a.toOutside, a.fromHost]),
      ),
    ].join("\n"),
  );
  io.out(`lab ${lab.name} (${lab.provider}); reach per VirtualBox's table of network modes\n`);
  io.out(blocks.join("\n\n"));
  return 0;
}
