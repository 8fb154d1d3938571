// The bundled example lab: a controller and a compute node, each able to run VMs, wired
// through every kind of VirtualBox network. `kvm-lab render` turns it into the Vagrantfile
// beside it (kept equal to Vagrantfile.example at the top of the repository).
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "nested-lab",
  provider: "virtualbox",
  box: "debian/bookworm64",
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
      provision: ["apt-get install -y qemu-kvm libvirt-daemon-system cpu-checker"],
    },
    {
      name: "compute",
      nics: [
        { network: "mgmt", ip: "192.168.56.11" },
        { network: "tenant", ip: "10.10.0.11", nicType: "virtio", promisc: "allow-all" },
        { network: "lan" },
      ],
      provision: ["apt-get install -y qemu-kvm libvirt-daemon-system cpu-checker"],
    },
  ],
});
