#!/usr/bin/env bash
# Debian packages and npm modules kvm-lab and its tests need. Idempotent; run as root.
#   vagrant (Debian's, with vagrant-libvirt) and ruby: render checks and `vagrant validate`
#   libvirt-daemon-system, libvirt-clients, dnsmasq-base: libvirtd for libvirt validation
#   iproute2: the network namespace the tests run libvirtd in
#   iptables: NAT for libvirt's networks (vagrant-libvirt's management network)
#   debootstrap, fdisk, dosfstools, mtools, syslinux(-common), e2fsprogs, qemu-utils: box builds
#   openssh-client, libxml2-utils: the box tests (SSH into a booted VMDK, read box.ovf);
#     xmllint also checks the scaffolder's SVG
#   openssh-server: the multi-host tests' second libvirt host, reached over qemu+ssh (its sshd
#     runs only inside that host's network namespace, with its own config and keys)
#   tmux: a real pseudo-terminal for create-kvm-lab's questions
#   iputils-ping: check --network's ICMP probes from the host
#   procps, util-linux: sysctl, pgrep and unshare for the VBoxManage twin and its tests
#   zsh: the completion tests load `kvm-lab completion zsh` into a real zsh (bash is there already)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  vagrant vagrant-libvirt ruby
  libvirt-daemon-system libvirt-clients dnsmasq-base qemu-system-x86 iproute2 iptables
  debootstrap fdisk dosfstools mtools syslinux syslinux-common e2fsprogs qemu-utils
  openssh-client openssh-server libxml2-utils tmux iputils-ping procps util-linux zsh
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
