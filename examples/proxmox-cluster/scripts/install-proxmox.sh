#!/bin/sh
# Proxmox VE 9 on Debian 13 (trixie), from the repository $PVE_REPO (pve-no-subscription by
# default), as Proxmox's wiki "Install Proxmox VE on Debian 13 Trixie" does it: the
# repository in deb822 form (suite trixie), signed by proxmox-archive-keyring-trixie.gpg
# (https://pve.proxmox.com/wiki/Install_Proxmox_VE_on_Debian_13_Trixie).
# After the reboot that follows, join the nodes: on pve1 `pvecm create lab --link0 10.99.0.31`,
# on the others `pvecm add 192.168.56.31 --link0 <own corosync address>`.
set -eu
export DEBIAN_FRONTEND=noninteractive
repo="${PVE_REPO:-pve-no-subscription}"
apt-get update
apt-get install -y wget ca-certificates
wget -qO /usr/share/keyrings/proxmox-archive-keyring.gpg https://enterprise.proxmox.com/debian/proxmox-archive-keyring-trixie.gpg
cat > /etc/apt/sources.list.d/pve-install-repo.sources <<SOURCES
Types: deb
URIs: http://download.proxmox.com/debian/pve
Suites: trixie
Components: $repo
Signed-By: /usr/share/keyrings/proxmox-archive-keyring.gpg
SOURCES
apt-get update
apt-get full-upgrade -y
apt-get install -y proxmox-default-kernel
apt-get install -y proxmox-ve postfix open-iscsi chrony
