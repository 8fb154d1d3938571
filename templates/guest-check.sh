#!/bin/sh
# kvm-lab's in-guest KVM checks: run as the vagrant user over one SSH session (`sh -s`).
# Prints one line per check, KVMLAB<TAB>id<TAB>pass|fail|skip<TAB>evidence; causes and
# fixes are added on the host, which knows the lab. POSIX sh only: it runs on any box.
#
# kvm-runs boots a 64 KiB "BIOS" under qemu-system-x86_64 -accel kvm (no fallback to
# emulation): at the reset vector, mov dx,0x3f8; mov al,'K'; out dx,al; then
# mov dx,0xf4; mov al,0; out dx,al, which QEMU's isa-debug-exit device turns into QEMU's
# exit (status 1), so the probe ends as soon as the guest has answered (a halted guest
# would keep QEMU running until the timeout). The K on the serial port proves KVM created
# a VM and ran guest code; a /dev/kvm that exists but cannot run a guest prints nothing.
set -u
LC_ALL=C
export LC_ALL
# KVMLAB_ONLY="cpu_flags dev_kvm" runs only those (the benchmark times checks one by one).
say() { printf 'KVMLAB\t%s\t%s\t%s\n' "$1" "$2" "$3"; }

check_cpu_flags() {
  n=$(grep -Ec '(svm|vmx)' /proc/cpuinfo 2>/dev/null || true)
  vendor=none
  grep -qw vmx /proc/cpuinfo 2>/dev/null && vendor=intel
  grep -qw svm /proc/cpuinfo 2>/dev/null && vendor=amd
  if [ "${n:-0}" -gt 0 ]; then say cpu-flags pass "$n CPUs with $vendor virtualization ($( [ $vendor = amd ] && echo svm || echo vmx))"
  else say cpu-flags fail "0 CPUs with svm or vmx in /proc/cpuinfo"; fi
}

check_kvm_modules() {
  mods=""
  for m in kvm kvm_intel kvm_amd; do [ -d /sys/module/$m ] && mods="$mods $m"; done
  mods=${mods# }
  case " $mods " in
    *" kvm "*kvm_*) say kvm-modules pass "loaded: $mods" ;;
    *) say kvm-modules fail "loaded: ${mods:-none}" ;;
  esac
}

check_dev_kvm() {
  if [ ! -e /dev/kvm ]; then say dev-kvm fail "no /dev/kvm"
  elif [ ! -c /dev/kvm ]; then say dev-kvm fail "/dev/kvm is not a character device"
  elif ( exec 3<>/dev/kvm ) 2>/dev/null; then say dev-kvm pass "$(ls -l /dev/kvm | awk '{print $1, $3, $4}'), opened read-write as $(id -un)"
  else say dev-kvm fail "$(ls -l /dev/kvm | awk '{print $1, $3, $4}'), $(id -un) cannot open it"; fi
}

check_kvm_runs() {
  qemu=$(command -v qemu-system-x86_64 2>/dev/null || true)
  if [ ! -c /dev/kvm ]; then say kvm-runs fail "no /dev/kvm to run a guest on"
  elif [ -z "$qemu" ]; then say kvm-runs skip "qemu-system-x86_64 is not installed, so no test guest can be started"
  else
    d=$(mktemp -d)
    dd if=/dev/zero of="$d/bios" bs=1024 count=64 2>/dev/null
    printf '\272\370\003\260\113\356\272\364\000\260\000\356\364' | dd of="$d/bios" bs=1 seek=65520 conv=notrunc 2>/dev/null
    out=$(timeout 20 "$qemu" -accel kvm -machine pc -m 16 -nodefaults -display none -no-reboot \
          -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
          -bios "$d/bios" -serial stdio 2>"$d/err" </dev/null | head -c 1)
    if [ "$out" = K ]; then say kvm-runs pass "a test guest ran under -accel kvm and wrote to its serial port"
    else say kvm-runs fail "no output from a test guest under -accel kvm: $(head -c 200 "$d/err" | tr '\n\t' '  ')"; fi
    rm -rf "$d"
  fi
}

check_kvm_ok() {
  if [ -x /usr/sbin/kvm-ok ]; then
    r=$(sudo -n /usr/sbin/kvm-ok 2>&1); rc=$?
    r=$(printf '%s' "$r" | tr '\n\t' '  ')
    if [ $rc -eq 0 ]; then say kvm-ok pass "$r"; else say kvm-ok fail "exit $rc: $r"; fi
  else say kvm-ok skip "kvm-ok is not installed (package cpu-checker)"; fi
}

check_nested_param() {
  p=""
  for f in /sys/module/kvm_intel/parameters/nested /sys/module/kvm_amd/parameters/nested; do [ -r "$f" ] && p="$f"; done
  if [ -z "$p" ]; then say nested-param skip "no kvm_intel or kvm_amd module loaded"
  else v=$(cat "$p"); case "$v" in 1|Y|y) say nested-param pass "$p = $v" ;; *) say nested-param fail "$p = $v" ;; esac; fi
}

check_libvirt() {
  if command -v libvirtd >/dev/null 2>&1 || [ -x /usr/sbin/libvirtd ]; then
    # Debian's libvirtd is socket-activated and exits when idle: a listening socket counts.
    s=$(systemctl is-active libvirtd 2>/dev/null || true)
    k=$(systemctl is-active libvirtd.socket 2>/dev/null || true)
    if [ "$s" = active ]; then say libvirtd pass "libvirtd is active"
    elif [ "$k" = active ]; then say libvirtd pass "libvirtd.socket is listening (libvirtd starts on demand)"
    else say libvirtd fail "libvirtd is ${s:-not running}, libvirtd.socket is ${k:-not listening}"; fi
    a=$(ip -4 -o addr show dev virbr0 2>/dev/null | awk '{print $4}')
    if [ -n "$a" ]; then say virbr0 pass "virbr0 up with $a"; else say virbr0 fail "no virbr0 with an IPv4 address"; fi
  else
    say libvirtd skip "libvirt is not installed"
    say virbr0 skip "libvirt is not installed"
  fi
}

for c in ${KVMLAB_ONLY:-cpu_flags kvm_modules dev_kvm kvm_runs kvm_ok nested_param libvirt}; do "check_$c"; done
exit 0
