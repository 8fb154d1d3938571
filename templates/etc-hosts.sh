#!/bin/sh
# kvm-lab: lists the lab's machines in /etc/hosts, between two marker lines of its own; the
# block is written anew on every run (a shell provisioner with run: "always"), so a changed
# lab shows after `vagrant provision` or `vagrant reload`. Lines outside it are left alone.
# Runs as root.
# Arguments: LAB, then triples ADDRESS HOSTNAME NAME (each machine's static address, its
# hostname and its Vagrant name; each name is written once, with the hostname's first label).
# KVMLAB_HOSTS_FILE=/some/file edits that file instead (tests).
set -eu
hosts=${KVMLAB_HOSTS_FILE:-/etc/hosts}
if [ $# -lt 1 ] || [ $(( ($# - 1) % 3 )) -ne 0 ]; then
  echo "kvm-lab: usage: etc-hosts.sh LAB [ADDRESS HOSTNAME NAME]..." >&2
  exit 2
fi
lab=$1
shift
begin="# BEGIN kvm-lab $lab: the lab's machines (rewritten by each vagrant up and provision)"
end="# END kvm-lab $lab"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# Every line outside the block, as it was (the markers through the environment: awk -v
# would read backslashes in them as escapes).
[ ! -f "$hosts" ] || KVMLAB_BEGIN=$begin KVMLAB_END=$end awk '$0 == ENVIRON["KVMLAB_BEGIN"] { skip = 1; next } $0 == ENVIRON["KVMLAB_END"] { skip = 0; next } !skip' "$hosts" > "$tmp"
{
  printf '%s\n' "$begin"
  while [ $# -ge 3 ]; do
    address=$1 host=$2 name=$3
    shift 3
    short=${host%%.*}
    line="$address $host"
    [ "$short" = "$host" ] || line="$line $short"
    [ "$name" = "$host" ] || [ "$name" = "$short" ] || line="$line $name"
    printf '%s\n' "$line"
  done
  printf '%s\n' "$end"
} >> "$tmp"
# Written in place (not renamed over): /etc/hosts may be a bind mount.
cat "$tmp" > "$hosts"
printf 'kvm-lab: /etc/hosts lists the machines of lab %s\n' "$lab"
