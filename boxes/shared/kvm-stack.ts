// The KVM stack both kvm recipes (Debian 12 and 13) put into their boxes: packages, the
// nested-virtualization and module-loading files, libvirt's default network, the vagrant
// user's groups. A recipe spreads it (`...KVM_STACK`); its content version digests the
// recipe as evaluated, so a change here gives both boxes new versions.
import type { BoxRecipe } from "kvm-lab";

export const KVM_STACK = {
  packages: [
    "qemu-system-x86",
    "qemu-utils",
    "libvirt-daemon-system",
    "libvirt-clients",
    "virtinst",
    "cpu-checker",
    "bridge-utils",
    "dnsmasq-base",
    "iproute2",
    "iptables",
    // Provisioning without a network install: Vagrant's rsync synced folders need rsync in
    // the guest, ansible_local provisioners ansible-playbook.
    "rsync",
    "ansible-core",
  ],
  files: {
    // Nested guests of our own guests: let the kvm modules pass VT-x/AMD-V on.
    "/etc/modprobe.d/kvm-nested.conf": "options kvm_intel nested=1\noptions kvm_amd nested=1\n",
    // Load the module for whichever vendor the (virtual) CPU has, at boot.
    "/etc/systemd/system/kvm-lab-kvm-modules.service": [
      "[Unit]",
      "Description=Load the KVM module for this CPU (kvm-lab)",
      "Before=libvirtd.service",
      "",
      "[Service]",
      "Type=oneshot",
      "RemainAfterExit=yes",
      "ExecStart=/bin/sh -c 'if grep -qw vmx /proc/cpuinfo; then modprobe kvm_intel; elif grep -qw svm /proc/cpuinfo; then modprobe kvm_amd; fi'",
      "",
      "[Install]",
      "WantedBy=multi-user.target",
      "",
    ].join("\n"),
  },
  commands: [
    // libvirt's default network (virbr0, 192.168.122.0/24) starts with libvirtd.
    "ln -sf ../default.xml /etc/libvirt/qemu/networks/autostart/default.xml",
    "adduser vagrant libvirt",
    "adduser vagrant kvm",
  ],
  enableUnits: ["kvm-lab-kvm-modules.service", "libvirtd.service"],
  notes: [
    "svm/vmx reach the guest only when its host passes them on (kvm-lab's nested: true)",
    "under QEMU software emulation (TCG) the guest sees AMD's svm, loads kvm_amd, and kvm-ok passes",
  ],
} satisfies Pick<BoxRecipe, "packages" | "files" | "commands" | "enableUnits" | "notes">;
