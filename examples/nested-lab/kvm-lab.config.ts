// The bundled example lab: a controller and a compute node, each able to run VMs, wired
// through every kind of VirtualBox network. `kvm-lab render` turns it into the Vagrantfile
// beside it (kept equal to Vagrantfile.example at the top of the repository).
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "nested-lab",
  provider: "virtualbox",
  // kvm-lab's Debian 13 box with QEMU/KVM and libvirt inside, so nothing is installed on
  // first boot: `sudo kvm-lab box build debian-13-kvm --provider virtualbox` (or libvirt),
  // then `vagrant box add --force boxes-out/debian-13-kvm.json`. A public box instead:
  // "bento/debian-13" (VirtualBox) or "debian/trixie64" (libvirt), plus a provision step
  // that installs qemu-system-x86, libvirt-daemon-system and cpu-checker.
  box: "kvm-lab/debian-13-kvm",
  defaults: { cpus: 2, memory: 4096, nested: true },
  networks: {
    mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
    tenant: { mode: "intnet", cidr: "10.10.0.0/24" },
    outside: { mode: "natnetwork", cidr: "10.0.5.0/24" },
    lan: { mode: "bridged", bridge: "eth0" },
  },
  machines: [
    {
      name: "controller",
      cpus: 4,
      memory: 8192,
      nics: [
        { network: "mgmt", ip: "192.168.56.10" },
        { network: "tenant", ip: "10.10.0.10", nicType: "virtio", promisc: "allow-all" },
        { network: "outside" },
        { mode: "null" },
      ],
      forwards: [{ guest: 80, host: 8080 }],
    },
    {
      name: "compute",
      nics: [
        { network: "mgmt", ip: "192.168.56.11" },
        { network: "tenant", ip: "10.10.0.11", nicType: "virtio", promisc: "allow-all" },
        { network: "lan" },
      ],
    },
  ],
});
