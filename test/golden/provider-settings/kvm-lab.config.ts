// Every provider setting of a machine on both providers: libvirt's CPU modes, features,
// disks, devices and options; VirtualBox's name, linked clone, guest properties, CPU
// profile, options and customize lines; extra disks and a grown root disk.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "provider-settings",
  box: "kvm-lab/debian-12-kvm",
  syncedFolder: false,
  defaults: {
    cpus: 2,
    memory: 2048,
    libvirt: { graphics: "none", rng: true },
    virtualbox: { linkedClone: true, guestProperties: { "/kvm-lab/lab": "provider-settings" } },
  },
  networks: {
    lab: { mode: "hostonly", cidr: "192.168.56.0/24" },
  },
  machines: [
    {
      name: "custom-cpu",
      nics: [{ network: "lab", ip: "192.168.56.10" }],
      diskSizeGiB: 40,
      disks: [{ name: "data", sizeGiB: 20 }, { name: "scratch", sizeGiB: 5, bus: "scsi" }],
      libvirt: {
        cpuMode: "custom",
        cpuModel: "Skylake-Server",
        cpuFeatures: [{ name: "pdpe1gb", policy: "require" }],
        diskBus: "virtio",
        diskCache: "writeback",
        managementNicModel: "virtio",
        graphics: "vnc",
        keymap: "de",
        options: {
          video_type: "virtio",
          qemu_env: { QEMU_AUDIO_DRV: "none" },
          host_device_exclude_prefixes: ["docker", "veth"],
          memballoon_enabled: false,
        },
      },
      virtualbox: {
        name: "provider-settings custom-cpu",
        cpuProfile: "host",
        guestProperties: { "/kvm-lab/role": "database" },
        options: { check_guest_additions: false, default_nic_type: "virtio" },
        customize: [
          { command: "modifyvm", args: ["--vram", "16"] },
          { command: "setextradata", args: ["VBoxInternal/Devices/pcbios/0/Config/DmiSystemProduct", "kvm-lab"] },
          { command: "guestproperty", args: ["set", "/kvm-lab/tier", "back"] },
        ],
      },
    },
    {
      name: "no-nested",
      nested: false,
      nics: [{ network: "lab", ip: "192.168.56.11" }],
      libvirt: { cpuMode: "custom", cpuFeatures: [{ name: "vmx", policy: "disable" }, { name: "x2apic", policy: "require" }] },
      virtualbox: { cpuProfile: "Intel Core i7-6700K" },
    },
    { name: "host-model", nics: [{ network: "lab", ip: "192.168.56.12" }], libvirt: { cpuMode: "host-model", managementNicModel: "e1000" } },
    { name: "counted-{n}", count: 2, nics: [{ network: "lab", ip: "192.168.56.20" }], virtualbox: { name: "provider-settings-counted-{n}" } },
  ],
});
