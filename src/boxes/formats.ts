// Box files for each provider, and the catalog `vagrant box add` reads.
import { createHash } from "node:crypto";
import path from "node:path";
import fs from "fs-extra";
import type { BoxRecipe } from "./recipe.js";
import { fixVmdkContentId } from "./reproducible.js";
import { run, type RunContext } from "./run.js";

export type BoxProvider = "libvirt" | "virtualbox";
export const BOX_PROVIDERS: readonly BoxProvider[] = ["libvirt", "virtualbox"];

/** The MAC of the VirtualBox box's NAT adapter; Vagrant sets adapter 1 to it after import. */
export const VIRTUALBOX_BASE_MAC = "080027C0FFEE";

/**
 * The box archive: its files in the order given, each with the epoch as its time, root as
 * its owner and mode 0644, so the same files make the same bytes whoever builds them.
 */
async function tarBox(ctx: RunContext, out: string, stage: string, files: string[], epoch: number): Promise<void> {
  await run(ctx, "tar", ["-cf", out, "-C", stage, "--format=gnu", `--mtime=@${epoch}`, "--owner=0", "--group=0", "--numeric-owner", "--mode=0644", ...files]);
}

/** libvirt: the disk as compressed qcow2, vagrant-libvirt's metadata, and a small Vagrantfile. */
export async function packLibvirtBox(ctx: RunContext, options: { disk: string; stage: string; sizeGiB: number; out: string; epoch: number }): Promise<void> {
  const { stage } = options;
  await fs.ensureDir(stage);
  await run(ctx, "qemu-img", ["convert", "-c", "-O", "qcow2", options.disk, path.join(stage, "box.img")]);
  await fs.writeJson(path.join(stage, "metadata.json"), { provider: "libvirt", format: "qcow2", virtual_size: options.sizeGiB });
  await fs.writeFile(
    path.join(stage, "Vagrantfile"),
    [
      "# kvm-lab box defaults for vagrant-libvirt: a BIOS-bootable virtio disk.",
      'Vagrant.configure("2") do |config|',
      '  config.vm.provider "libvirt" do |libvirt|',
      '    libvirt.disk_bus = "virtio"',
      "  end",
      "end",
      "",
    ].join("\n"),
  );
  await tarBox(ctx, options.out, stage, ["metadata.json", "Vagrantfile", "box.img"], options.epoch);
}

/** OVF 1.0 that `VBoxManage import` reads: one disk on a SATA (AHCI) controller, one NAT adapter. */
export function boxOvf(recipe: BoxRecipe, vmdk: string, capacityBytes: number): string {
  const id = recipe.name;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope ovf:version="1.0" xml:lang="en-US"
    xmlns="http://schemas.dmtf.org/ovf/envelope/1"
    xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
    xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
    xmlns:vbox="http://www.virtualbox.org/ovf/machine">
  <References>
    <File ovf:id="file1" ovf:href="${vmdk}"/>
  </References>
  <DiskSection>
    <Info>List of the virtual disks used in the package</Info>
    <Disk ovf:capacity="${capacityBytes}" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
  </DiskSection>
  <NetworkSection>
    <Info>Logical networks used in the package</Info>
    <Network ovf:name="NAT">
      <Description>Logical network used by this appliance.</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="${id}">
    <Info>A virtual machine</Info>
    <OperatingSystemSection ovf:id="96">
      <Info>The kind of installed guest operating system</Info>
      <Description>Debian_64</Description>
      <vbox:OSType ovf:required="false">Debian_64</vbox:OSType>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements for a virtual machine</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>${id}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>virtualbox-2.2</vssd:VirtualSystemType>
      </System>
      <Item>
        <rasd:Caption>1 virtual CPU</rasd:Caption>
        <rasd:Description>Number of virtual CPUs</rasd:Description>
        <rasd:ElementName>1 virtual CPU</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>1</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits>
        <rasd:Caption>1024 MB of memory</rasd:Caption>
        <rasd:Description>Memory Size</rasd:Description>
        <rasd:ElementName>1024 MB of memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>1024</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:Address>0</rasd:Address>
        <rasd:Caption>sataController0</rasd:Caption>
        <rasd:Description>SATA Controller</rasd:Description>
        <rasd:ElementName>sataController0</rasd:ElementName>
        <rasd:InstanceID>3</rasd:InstanceID>
        <rasd:ResourceSubType>AHCI</rasd:ResourceSubType>
        <rasd:ResourceType>20</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AddressOnParent>0</rasd:AddressOnParent>
        <rasd:Caption>disk1</rasd:Caption>
        <rasd:Description>Disk Image</rasd:Description>
        <rasd:ElementName>disk1</rasd:ElementName>
        <rasd:HostResource>/disk/vmdisk1</rasd:HostResource>
        <rasd:InstanceID>4</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
        <rasd:Caption>Ethernet adapter on 'NAT'</rasd:Caption>
        <rasd:Connection>NAT</rasd:Connection>
        <rasd:ElementName>Ethernet adapter on 'NAT'</rasd:ElementName>
        <rasd:InstanceID>5</rasd:InstanceID>
        <rasd:ResourceSubType>E1000</rasd:ResourceSubType>
        <rasd:ResourceType>10</rasd:ResourceType>
      </Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`;
}

/** VirtualBox: the disk as a streamOptimized VMDK with its OVF, metadata and base MAC. */
export async function packVirtualboxBox(
  ctx: RunContext,
  options: { recipe: BoxRecipe; disk: string; stage: string; sizeGiB: number; out: string; epoch: number; contentId: string },
): Promise<void> {
  const { stage } = options;
  await fs.ensureDir(stage);
  const vmdk = `${options.recipe.name}-disk001.vmdk`;
  await run(ctx, "qemu-img", ["convert", "-O", "vmdk", "-o", "subformat=streamOptimized", options.disk, path.join(stage, vmdk)]);
  await fixVmdkContentId(path.join(stage, vmdk), options.contentId);
  await fs.writeFile(path.join(stage, "box.ovf"), boxOvf(options.recipe, vmdk, options.sizeGiB * 2 ** 30));
  await fs.writeJson(path.join(stage, "metadata.json"), { provider: "virtualbox" });
  await fs.writeFile(
    path.join(stage, "Vagrantfile"),
    ['# kvm-lab box defaults for VirtualBox: the NAT adapter\'s MAC from box.ovf.', 'Vagrant.configure("2") do |config|', `  config.vm.base_mac = "${VIRTUALBOX_BASE_MAC}"`, "end", ""].join("\n"),
  );
  await tarBox(ctx, options.out, stage, ["metadata.json", "Vagrantfile", "box.ovf", vmdk], options.epoch);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface CatalogEntry {
  provider: BoxProvider;
  file: string;
  sha256: string;
}

/** The box catalog for `vagrant box add <catalog.json>`: name, content version, providers with sha256. */
export async function writeCatalog(recipe: BoxRecipe, version: string, outDir: string, boxes: CatalogEntry[]): Promise<string> {
  const catalog = path.join(outDir, `${recipe.name}.json`);
  const providers = boxes.map((box) => ({
    name: box.provider,
    url: `file://${path.resolve(box.file)}`,
    checksum_type: "sha256",
    checksum: box.sha256,
  }));
  const document = {
    name: `kvm-lab/${recipe.name}`,
    description: recipe.description,
    versions: [{ version, providers }],
  };
  const partial = `${catalog}.partial`;
  await fs.writeJson(partial, document, { spaces: 2 });
  await fs.rename(partial, catalog);
  return catalog;
}
