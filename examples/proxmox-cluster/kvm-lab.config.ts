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
    // Proxmox VE 9 installs on Debian 13 (trixie); each provider has its own public build of
    // it. Not kvm-lab/debian-13-minimal: that box boots the one kernel its SYSLINUX entry names
    // (src/boxes/disk.ts), so it would never boot the Proxmox kernel, and removing Debian's
    // kernel below would leave it unbootable; its 8 GiB root does not grow to diskSizeGiB either.
    libvirt: { box: "debian/trixie64", cpuMode: "host-passthrough", diskBus: "virtio", graphics: "none" },
    virtualbox: { box: "bento/debian-13" },
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
        { type: "shell", name: "cleanup", inline: "apt-get remove -y 'linux-image-amd64' 'linux-image-6.12*' || true; update-grub" },
      ],
    },
  ],
});
