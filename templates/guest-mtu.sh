#!/bin/sh
# kvm-lab: sets the MTU of NICs, each found by its MAC address: now (ip link) and at every
# boot (a udev rule, whatever configures the NIC: netplan, systemd-networkd, NetworkManager
# or ifupdown). For the MTUs Vagrant has no option for. Runs as root; safe to run again.
# Arguments, in pairs: MAC MTU (MAC in lower-case colon form, as /sys/class/net/*/address).
# KVMLAB_MTU_ROOT=/some/dir writes the rule under that folder and changes no link (tests).
set -eu
root=${KVMLAB_MTU_ROOT:-}
rules="$root/etc/udev/rules.d/70-kvm-lab-mtu.rules"

iface_of() {
  for dev in /sys/class/net/*; do
    if [ "$(cat "$dev/address" 2>/dev/null)" = "$1" ]; then basename "$dev"; return 0; fi
  done
  return 1
}

if [ $(( $# % 2 )) -ne 0 ]; then
  echo "kvm-lab: usage: guest-mtu.sh [MAC MTU]..." >&2
  exit 2
fi
mkdir -p "$(dirname "$rules")"
tmp="$rules.kvm-lab-tmp"
echo "# kvm-lab: NIC MTUs by MAC (rewritten by each vagrant up and provision)" > "$tmp"
while [ $# -ge 2 ]; do
  mac=$1 mtu=$2
  shift 2
  case $mac in
    [0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) ;;
    *) printf 'kvm-lab: %s is not a MAC address\n' "$mac" >&2; rm -f "$tmp"; exit 2 ;;
  esac
  case $mtu in
    '' | *[!0-9]*) printf 'kvm-lab: %s is not an MTU\n' "$mtu" >&2; rm -f "$tmp"; exit 2 ;;
  esac
  printf 'ACTION=="add", SUBSYSTEM=="net", ATTR{address}=="%s", ATTR{mtu}="%s"\n' "$mac" "$mtu" >> "$tmp"
  [ -z "$root" ] || continue
  if ! iface=$(iface_of "$mac"); then printf 'kvm-lab: no NIC with MAC %s in this guest\n' "$mac" >&2; rm -f "$tmp"; exit 1; fi
  ip link set dev "$iface" mtu "$mtu"
  echo "kvm-lab: $iface ($mac) has MTU $mtu"
done
mv "$tmp" "$rules"
