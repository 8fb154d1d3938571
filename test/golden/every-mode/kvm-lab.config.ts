// Every network mode and all eight adapters, rendered for both providers.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "modes",
  box: "debian/bookworm64",
  defaults: { cpus: 2, memory: 3072 },
  networks: {
    mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
    storage: { mode: "hostonly", cidr: "192.168.57.0/24" },
    tenant: { mode: "intnet", cidr: "10.10.0.0/24" },
    outside: { mode: "natnetwork", cidr: "10.0.5.0/24" },
    vbox7: { mode: "hostonlynet", cidr: "192.168.58.0/24" },
    lan: { mode: "bridged", bridge: "eth0", cidr: "192.168.1.0/24" },
  },
  // Adapter 1's NAT moved off 10.0.2.0/24, DNS through the host's resolver (VirtualBox).
  virtualbox: { natCidr: "10.0.3.0/24", natDnsHostResolver: true },
  machines: [
    {
      name: "alpha",
      nics: [
        { network: "mgmt", ip: "192.168.56.10", mac: "08:00:27:00:00:02" },
        { network: "storage" },
        { network: "tenant", ip: "10.10.0.10", nicType: "virtio", promisc: "allow-vms" },
        { network: "outside", nicType: "82545EM", ip: "10.0.5.200", forwards: [{ guest: 443, host: 8443 }] },
        { mode: "nat", cidr: "10.0.6.0/24", forwards: [{ guest: 80, host: 8080 }], capture: true },
        { mode: "null" },
        { mode: "generic", driver: "UDPTunnel", properties: { dest: "127.0.0.1", sport: "10001", dport: "10002" } },
      ],
      forwards: [
        { guest: 22, host: 2210 },
        { guest: 53, host: 5353, protocol: "udp", hostIp: "127.0.0.2" },
      ],
    },
    {
      name: "beta",
      hostname: "beta.lab.example",
      cpus: 1,
      memory: 1024,
      nested: false,
      nics: [
        { network: "lan", ip: "192.168.1.50", mac: "0800270000AA", nicType: "82540EM", adapter: 5 },
        { network: "mgmt", ip: "192.168.56.11", cable: false },
        { network: "tenant" },
        { network: "vbox7" },
      ],
      provision: ["echo 'quotes \" and #{not_ruby}' > /tmp/marker", "sysctl -w net.ipv4.ip_forward=1"],
    },
  ],
});
