#!/bin/sh
# kvm-lab: configures, inside the guest, the NICs Vagrant does not configure (VirtualBox NAT
# Network, extra NAT, generic and, on macOS, VirtualBox 7 host-only NICs), each found by its
# MAC address, with whatever the box uses: netplan, systemd-networkd, NetworkManager or
# ifupdown. Runs as root, as a shell provisioner; safe to run again.
# Arguments, in pairs: MAC MODE, where MODE is
#   dhcp             DHCP, its routes behind the NAT adapter's (route metric 200)
#   dhcp-if-missing  the same, unless the NIC already has an IPv4 address (Vagrant set it up)
#   up               link up, no address
#   A.B.C.D/N[,GW]   a fixed address (and a gateway: a default route, metric 200)
# KVMLAB_NICS_ROOT=/some/dir writes the files under that folder and applies nothing (tests).
set -eu
root=${KVMLAB_NICS_ROOT:-}

iface_of() {
  for dev in /sys/class/net/*; do
    if [ "$(cat "$dev/address" 2>/dev/null)" = "$1" ]; then basename "$dev"; return 0; fi
  done
  return 1
}

has_ipv4() {
  [ -n "$(ip -4 -o addr show dev "$1" 2>/dev/null)" ]
}

if [ -n "${KVMLAB_NICS_BACKEND:-}" ]; then backend=$KVMLAB_NICS_BACKEND
elif command -v netplan >/dev/null 2>&1 && [ -d /etc/netplan ]; then backend=netplan
elif systemctl is-enabled -q systemd-networkd 2>/dev/null || systemctl is-active -q systemd-networkd 2>/dev/null; then backend=networkd
elif command -v nmcli >/dev/null 2>&1 && nmcli -t -f RUNNING general 2>/dev/null | grep -q running; then backend=networkmanager
elif [ -f /etc/network/interfaces ]; then backend=ifupdown
else
  echo "kvm-lab: found no netplan, systemd-networkd, NetworkManager or ifupdown to configure the NICs with" >&2
  exit 1
fi

netplan_file="$root/etc/netplan/60-kvm-lab.yaml"
if [ "$backend" = netplan ]; then
  mkdir -p "$(dirname "$netplan_file")"
  printf 'network:\n  version: 2\n  ethernets:\n' > "$netplan_file"
  chmod 600 "$netplan_file"
fi
configured=""

while [ $# -ge 2 ]; do
  mac=$1 mode=$2
  shift 2
  name=kvmlab-$(echo "$mac" | tr -d :)
  if [ -n "$root" ]; then iface=${KVMLAB_NICS_IFACE:-eth9}
  elif ! iface=$(iface_of "$mac"); then echo "kvm-lab: no NIC with MAC $mac in this guest" >&2; exit 1
  fi
  if [ "$mode" = dhcp-if-missing ]; then
    if [ -z "$root" ] && has_ipv4 "$iface"; then echo "kvm-lab: $iface ($mac) is configured already"; continue; fi
    mode=dhcp
  fi
  address="" gateway=""
  case "$mode" in
    dhcp | up) ;;
    */*) address=${mode%%,*}; [ "$address" = "$mode" ] || gateway=${mode#*,}; mode=static ;;
    *) echo "kvm-lab: unknown mode $mode for $mac" >&2; exit 1 ;;
  esac
  case "$backend" in
    netplan)
      {
        printf '    %s:\n      match:\n        macaddress: "%s"\n' "$name" "$mac"
        case "$mode" in
          dhcp) printf '      dhcp4: true\n      dhcp4-overrides:\n        route-metric: 200\n' ;;
          up) printf '      dhcp4: false\n      link-local: []\n' ;;
          static)
            printf '      dhcp4: false\n      addresses: ["%s"]\n' "$address"
            [ -z "$gateway" ] || printf '      routes:\n        - to: default\n          via: "%s"\n          metric: 200\n' "$gateway"
            ;;
        esac
      } >> "$netplan_file"
      ;;
    networkd)
      file="$root/etc/systemd/network/10-$name.network"
      mkdir -p "$(dirname "$file")"
      {
        printf '[Match]\nMACAddress=%s\n\n[Network]\n' "$mac"
        case "$mode" in
          dhcp) printf 'DHCP=ipv4\n\n[DHCPv4]\nRouteMetric=200\n' ;;
          up) printf 'LinkLocalAddressing=no\nConfigureWithoutCarrier=yes\n' ;;
          static)
            printf 'Address=%s\n' "$address"
            [ -z "$gateway" ] || printf '\n[Route]\nGateway=%s\nMetric=200\n' "$gateway"
            ;;
        esac
      } > "$file"
      ;;
    networkmanager)
      if [ -n "$root" ]; then
        echo "nmcli $name $iface $mode $address $gateway" >> "$root/nmcli.log"
      else
        nmcli connection delete "$name" >/dev/null 2>&1 || true
        case "$mode" in
          dhcp) nmcli connection add type ethernet con-name "$name" ifname "$iface" ipv4.method auto ipv4.route-metric 200 ipv6.method ignore >/dev/null ;;
          up) nmcli connection add type ethernet con-name "$name" ifname "$iface" ipv4.method disabled ipv6.method ignore >/dev/null ;;
          static)
            nmcli connection add type ethernet con-name "$name" ifname "$iface" ipv4.method manual ipv4.addresses "$address" \
              ${gateway:+ipv4.gateway "$gateway" ipv4.route-metric 200} ipv6.method ignore >/dev/null
            ;;
        esac
        nmcli connection up "$name" >/dev/null
      fi
      ;;
    ifupdown)
      file="$root/etc/network/interfaces.d/$name"
      mkdir -p "$(dirname "$file")"
      {
        printf 'auto %s\n' "$iface"
        case "$mode" in
          dhcp) printf 'iface %s inet dhcp\n    metric 200\n' "$iface" ;;
          up) printf 'iface %s inet manual\n' "$iface" ;;
          static)
            printf 'iface %s inet static\n    address %s\n' "$iface" "$address"
            [ -z "$gateway" ] || printf '    gateway %s\n    metric 200\n' "$gateway"
            ;;
        esac
      } > "$file"
      ;;
  esac
  configured="$configured $iface"
done

[ -z "$root" ] || exit 0
case "$backend" in
  netplan) netplan apply ;;
  networkd)
    networkctl reload 2>/dev/null || systemctl restart systemd-networkd
    for iface in $configured; do networkctl reconfigure "$iface" 2>/dev/null || true; done
    ;;
  ifupdown)
    grep -qs '^source.*interfaces.d' /etc/network/interfaces || printf '\nsource /etc/network/interfaces.d/*\n' >> /etc/network/interfaces
    for iface in $configured; do ifdown "$iface" 2>/dev/null || true; ifup "$iface"; done
    ;;
esac
echo "kvm-lab: configured with $backend:$configured"
