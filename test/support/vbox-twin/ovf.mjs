// Reading an OVF 1.0 appliance the way `VBoxManage import` does, for what the twin needs:
// the virtual system's name and OS type, CPUs, memory, the disk images and the network
// adapters (CIM ResourceType 3 = CPU, 4 = memory, 10 = Ethernet, 20 = SATA, 5 = IDE,
// 17 = disk drive; see DMTF CIM_ResourceAllocationSettingData).
import fs from "node:fs";
import path from "node:path";

/** VirtualBox's OVF reader maps these adapter subtypes to its NIC types (ApplianceImplImport.cpp). */
const NIC_TYPES = { E1000: "82540EM", PCNet32: "Am79C973", PCNET32: "Am79C973", virtio: "virtio", "virtio-net": "virtio" };

const text = (xml, tag) => xml.match(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`))?.[1]?.trim();

/** The appliance in `file`; throws with VBoxManage's wording when it cannot be read. */
export function readOvf(file) {
  let xml;
  try {
    xml = fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`Could not read OVF file '${file}' (VERR_FILE_NOT_FOUND)`);
  }
  const system = xml.match(/<VirtualSystem\s+ovf:id="([^"]+)"/);
  if (!system) throw new Error(`Appliance read failed: no VirtualSystem in '${file}'`);
  const files = new Map([...xml.matchAll(/<File\s[^>]*ovf:id="([^"]+)"[^>]*ovf:href="([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const disks = [...xml.matchAll(/<Disk\s([^>]*)\/?>/g)].map((m) => {
    const attr = (name) => m[1].match(new RegExp(`ovf:${name}="([^"]*)"`))?.[1];
    return { id: attr("diskId"), href: files.get(attr("fileRef")), capacity: Number(attr("capacity") ?? 0), format: attr("format") ?? "" };
  });
  const items = [...xml.matchAll(/<Item>([\s\S]*?)<\/Item>/g)].map((m) => m[1]);
  const ofType = (type) => items.filter((item) => text(item, "rasd:ResourceType") === String(type));
  const cpus = Number(text(ofType(3)[0] ?? "", "rasd:VirtualQuantity") ?? 1);
  const memory = Number(text(ofType(4)[0] ?? "", "rasd:VirtualQuantity") ?? 512);
  const nics = ofType(10).map((item) => ({ type: NIC_TYPES[text(item, "rasd:ResourceSubType") ?? "E1000"] ?? "82540EM", connection: text(item, "rasd:Connection") ?? "NAT" }));
  const controller = ofType(20).length ? { name: "SATA Controller", type: "IntelAhci", label: "SATA controller, type AHCI" } : { name: "IDE Controller", type: "PIIX4", label: "IDE controller, type PIIX4" };
  return {
    file: path.resolve(file),
    name: system[1],
    ostype: xml.match(/<vbox:OSType[^>]*>([^<]+)</)?.[1] ?? "Other_64",
    cpus,
    memory,
    nics,
    controller,
    disks,
  };
}
