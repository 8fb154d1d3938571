// What kvm-lab made on each host for the networks that span hosts (.kvm-lab/fabric.json):
// per host its URI, the libvirt networks it defined and the VXLAN devices it added. Written
// before anything is made (so a run stopped half-way still knows what to remove) and kept
// until `kvm-lab destroy` has removed it all; read even after the config changed, so what a
// host no longer in the config holds is removed too.
import path from "node:path";
import fs from "fs-extra";
import { writeFileAtomic } from "../render/write.js";

export interface HostFabric {
  uri: string;
  networks: string[];
  devices: string[];
}

export interface FabricRecord {
  version: 1;
  hosts: Record<string, HostFabric>;
}

export const fabricFile = (state: string) => path.join(state, "fabric.json");

/** The record, empty when there is none (or it is not one kvm-lab wrote). */
export async function readFabric(state: string): Promise<FabricRecord> {
  try {
    const read = JSON.parse(await fs.readFile(fabricFile(state), "utf8")) as FabricRecord;
    if (read?.version === 1 && read.hosts && typeof read.hosts === "object") return read;
  } catch {
    // none yet
  }
  return { version: 1, hosts: {} };
}

/** Writes the record; an empty one removes the file. */
export async function writeFabric(state: string, record: FabricRecord): Promise<void> {
  if (!Object.keys(record.hosts).length) {
    await fs.remove(fabricFile(state));
    return;
  }
  await fs.ensureDir(state);
  await writeFileAtomic(fabricFile(state), `${JSON.stringify(record, null, 2)}\n`);
}

/** `record` with `add` merged in (names kept once, in the order first seen). */
export function mergeFabric(record: FabricRecord, add: Record<string, HostFabric>): FabricRecord {
  const hosts = { ...record.hosts };
  for (const [name, part] of Object.entries(add)) {
    const before = hosts[name];
    hosts[name] = before
      ? { uri: part.uri, networks: [...new Set([...before.networks, ...part.networks])], devices: [...new Set([...before.devices, ...part.devices])] }
      : part;
  }
  return { version: 1, hosts };
}
