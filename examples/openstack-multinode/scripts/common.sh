#!/bin/sh
# Every node: the packages OpenStack's services share, and chrony synced to the controller.
# $1 is the node's role (controller, network, compute).
set -eu
role="$1"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chrony python3-openstackclient
if [ "$role" != controller ]; then
  echo "server controller.openstack.test iburst" > /etc/chrony/sources.d/controller.sources
  systemctl restart chrony
fi
echo "$role" > /etc/openstack-role
