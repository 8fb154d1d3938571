// libvirt on a host without usable KVM: QEMU software emulation, a positive and a negative machine.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "tcg-pair",
  provider: "libvirt",
  box: "kvm-lab/debian-12-kvm",
  boxUrl: "file:///var/cache/kvm-lab/boxes/catalog.json",
  syncedFolder: false,
  defaults: { cpus: 2, memory: 2048, nested: true, accel: "tcg" },
  libvirt: { managementNetwork: "192.168.125.0/24" },
  networks: {
    lab: { mode: "hostonly", cidr: "192.168.60.0/24" },
  },
  virtualbox: { hostOnlyRanges: ["192.168.60.0/24"] },
  machines: [
    { name: "kvm-host", nics: [{ network: "lab", ip: "192.168.60.10" }] },
    { name: "no-kvm", box: "kvm-lab/debian-12-minimal", nested: false, cpuModel: "kvm64", nics: [{ network: "lab" }] },
  ],
});
