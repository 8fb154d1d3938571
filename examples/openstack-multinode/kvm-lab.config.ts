// An OpenStack lab as people run it: a controller, a network node and counted compute nodes
// on a management, a tenant (overlay) and a provider network. Every node resolves the others
// by name (/etc/hosts from the management network); the computes come up after the
// controller, whose database and message queue they register with.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "openstack",
  provider: "libvirt",
  // Ubuntu 22.04, not a kvm-lab Debian box: the controller's script adds the Ubuntu Cloud
  // Archive (add-apt-repository cloud-archive:...), which exists for Ubuntu only.
  box: "generic/ubuntu2204",
  defaults: {
    cpus: 2,
    memory: 4096,
    nested: true,
    libvirt: { cpuMode: "host-passthrough", graphics: "none" },
    virtualbox: { box: "bento/ubuntu-22.04", linkedClone: true },
  },
  networks: {
    mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
    // VXLAN tunnels between the nodes: jumbo frames so the guests' 1500 fits inside.
    tenant: { mode: "intnet", cidr: "10.20.0.0/24" },
    // The "external" network of floating IPs: Neutron's bridge owns these NICs.
    provider: { mode: "hostonly", cidr: "192.168.57.0/24" },
  },
  etcHosts: { network: "mgmt" },
  machines: [
    {
      name: "controller",
      hostname: "controller.openstack.test",
      cpus: 4,
      memory: 8192,
      primary: true,
      nics: [
        { network: "mgmt", ip: "192.168.56.10" },
        { network: "tenant", ip: "10.20.0.10", mtu: 9000 },
      ],
      // Horizon and Keystone, reachable from the host's loopback.
      forwards: [
        { guest: 80, host: 8080 },
        { guest: 5000, host: 5000 },
      ],
      // Cinder's LVM volume group.
      disks: [{ name: "cinder", sizeGiB: 40 }],
      provision: [
        { type: "shell", name: "common", path: "scripts/common.sh", args: ["controller"] },
        { type: "shell", name: "controller", path: "scripts/controller.sh", env: { OS_RELEASE: "2024.1", CINDER_DISK: "/dev/vdb" } },
      ],
    },
    {
      name: "network",
      hostname: "network.openstack.test",
      upAfter: ["controller"],
      nics: [
        { network: "mgmt", ip: "192.168.56.11" },
        { network: "tenant", ip: "10.20.0.11", mtu: 9000 },
        // Left unconfigured: Open vSwitch's br-ex takes it.
        { network: "provider", autoConfig: false, promisc: "allow-all" },
      ],
      provision: [
        { type: "shell", name: "common", path: "scripts/common.sh", args: ["network"] },
        { type: "shell", name: "network", inline: "apt-get install -y openvswitch-switch && ovs-vsctl --may-exist add-br br-ex" },
      ],
    },
    {
      name: "compute{n}",
      count: 2,
      hostname: "compute{n}.openstack.test",
      cpus: 4,
      memory: 6144,
      upAfter: ["controller"],
      nics: [
        { network: "mgmt", ip: "192.168.56.21" },
        { network: "tenant", ip: "10.20.0.21", mtu: 9000 },
        { network: "provider", autoConfig: false, promisc: "allow-all" },
      ],
      provision: [
        { type: "shell", name: "common", path: "scripts/common.sh", args: ["compute"] },
        { type: "shell", name: "kvm", inline: "apt-get install -y qemu-kvm libvirt-daemon-system cpu-checker && kvm-ok" },
      ],
    },
  ],
});
