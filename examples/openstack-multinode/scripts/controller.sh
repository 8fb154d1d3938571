#!/bin/sh
# The controller: database, message queue and Keystone; Cinder's volume group on the extra
# disk ($CINDER_DISK). $OS_RELEASE names the OpenStack release of the cloud archive.
set -eu
export DEBIAN_FRONTEND=noninteractive
add-apt-repository -y "cloud-archive:$(echo "$OS_RELEASE" | tr -d .)" || true
apt-get update
apt-get install -y mariadb-server rabbitmq-server memcached keystone lvm2
if ! vgs cinder-volumes >/dev/null 2>&1; then
  pvcreate "$CINDER_DISK"
  vgcreate cinder-volumes "$CINDER_DISK"
fi
