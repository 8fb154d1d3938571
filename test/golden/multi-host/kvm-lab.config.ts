// One lab on three libvirt hosts: this machine and two reached over ssh. Machines name their
// host or are placed by kvm-lab; the networks used on several hosts span them (VXLAN).
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "spread",
  provider: "libvirt",
  box: "kvm-lab/debian-12-kvm",
  defaults: { cpus: 2, memory: 4096 },
  hosts: {
    here: { uri: "qemu:///system", cpus: 8, memory: 16384 },
    rack1: { uri: "qemu+ssh://lab@rack1.example.org/system?keyfile=/home/lab/.ssh/lab_ed25519", cpus: 16, memory: 65536, lanMtu: 9000 },
    rack2: { uri: "qemu+ssh://root@198.51.100.7:2222/system", cpus: 16, memory: 65536, address: "198.51.100.7" },
  },
  networks: {
    mgmt: { mode: "hostonly", cidr: "192.168.60.0/24" },
    tenant: { mode: "intnet", cidr: "10.40.0.0/24" },
    public: { mode: "natnetwork", cidr: "10.0.9.0/24" },
    storage: { mode: "intnet", cidr: "10.50.0.0/24" },
  },
  machines: [
    { name: "controller", host: "here", memory: 8192, nics: [{ network: "mgmt", ip: "192.168.60.10" }, { network: "public" }] },
    { name: "compute{n}", count: 2, host: "rack1", memory: 16384, cpus: 4, nics: [{ network: "mgmt", ip: "192.168.60.21" }, { network: "tenant", ip: "10.40.0.21" }, { network: "storage", ip: "10.50.0.21" }] },
    { name: "network", host: "rack2", nics: [{ network: "mgmt" }, { network: "tenant", ip: "10.40.0.5" }, { network: "public" }] },
    { name: "ceph", host: "rack1", nics: [{ network: "storage", ip: "10.50.0.30" }] },
    // Placed by kvm-lab: the first host with room for its memory and vCPUs.
    { name: "monitor", memory: 2048, nics: [{ network: "mgmt", ip: "192.168.60.40" }] },
  ],
});
