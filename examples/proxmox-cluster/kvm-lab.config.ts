// A three-node Proxmox VE cluster: one counted entry, `pve{n}`. Each node has two data
// disks for Ceph, a management NIC (web UI and SSH), and a NIC on a private network that
// only the nodes share: Corosync's ring, the cluster's heartbeat.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "pve",
  provider: "libvirt",
  defaults: {
    cpus: 4,
    memory: 4096,
    nested: true,
    // Proxmox installs on Debian 12; each provider has its own build of it.
    libvirt: { box: "generic/debian12", cpuMode: "host-passthrough", diskBus: "virtio", graphics: "none" },
    virtualbox: { box: "bento/debian-12" },
  },
  networks: {
    mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
    // intnet: a VirtualBox internal network, a private isolated network on libvirt; the host is not on it.
    corosync: { mode: "intnet", cidr: "10.99.0.0/24" },
  },
  // Proxmox wants each node's name to resolve to its management address.
  etcHosts: { network: "mgmt" },
  machines: [
    {
      name: "pve{n}",
      count: 3,
      hostname: "pve{n}.cluster.test",
      diskSizeGiB: 32,
      disks: [
        { name: "ceph-osd", sizeGiB: 20 },
        { name: "ceph-db", sizeGiB: 10 },
      ],
      nics: [
        { network: "mgmt", ip: "192.168.56.31" },
        { network: "corosync", ip: "10.99.0.31" },
      ],
      // The web UI: pve1 on https://127.0.0.1:8006, pve2 on 8007, pve3 on 8008.
      forwards: [{ guest: 8006, host: 8006 }],
      provision: [
        { type: "shell", name: "proxmox", path: "scripts/install-proxmox.sh", env: { PVE_REPO: "pve-no-subscription" } },
        // The Proxmox kernel is only running after a reboot.
        { type: "reboot", name: "proxmox-kernel" },
        { type: "shell", name: "cleanup", inline: "apt-get remove -y 'linux-image-amd64' 'linux-image-6.1*' || true; update-grub" },
      ],
    },
  ],
});
