#!/bin/sh
# Proxmox VE on Debian 12, from the repository $PVE_REPO (pve-no-subscription by default).
# After the reboot that follows, join the nodes: on pve1 `pvecm create lab --link0 10.99.0.31`,
# on the others `pvecm add 192.168.56.31 --link0 <own corosync address>`.
set -eu
export DEBIAN_FRONTEND=noninteractive
repo="${PVE_REPO:-pve-no-subscription}"
echo "deb [arch=amd64] http://download.proxmox.com/debian/pve bookworm $repo" > /etc/apt/sources.list.d/pve.list
wget -qO /etc/apt/trusted.gpg.d/proxmox-release-bookworm.gpg https://enterprise.proxmox.com/debian/proxmox-release-bookworm.gpg
apt-get update
apt-get full-upgrade -y
apt-get install -y proxmox-default-kernel
apt-get install -y proxmox-ve postfix open-iscsi chrony
