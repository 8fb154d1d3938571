#!/bin/sh
# kvm-lab's in-guest KVM checks: run as the vagrant user over one SSH session (`sh -s`).
# Prints one line per check, KVMLAB<TAB>id<TAB>pass|fail|skip<TAB>evidence; causes and
# fixes are added on the host, which knows the lab. POSIX sh only: it runs on any box.
#
# kvm-runs runs a few bytes of guest code on /dev/kvm and checks what the guest said, with the
# first of two probes that the box can run:
# 1. the KVM API probe, in perl (perl-base is Essential on Debian/Ubuntu, so every such box
#    has it; no QEMU needed and none to start): a VM, one page of memory at the top of the
#    4 GiB space, one vCPU, KVM_RUN; from its reset state the vCPU runs mov al,0x4b;
#    out 0xf4,al, so KVM_RUN must exit with KVM_EXIT_IO, an out of 0x4b to port 0xf4.
# 2. the QEMU probe (no perl): a 64 KiB "BIOS" under qemu-system-x86_64 -accel kvm (no
#    fallback to emulation): at the reset vector, mov dx,0x3f8; mov al,'K'; out dx,al; then
#    mov dx,0xf4; mov al,0; out dx,al, which QEMU's isa-debug-exit device turns into QEMU's
#    exit (status 1), so the probe ends as soon as the guest has answered (a halted guest
#    would keep QEMU running until the timeout). The K on the serial port proves KVM created
#    a VM and ran guest code; a /dev/kvm that exists but cannot run a guest prints nothing.
# With neither, kvm-runs is skipped and says so. The evidence names the probe that ran.
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

# The KVM API probe: perl (core only, no module but strict) talks to /dev/kvm with ioctl and
# syscall. Prints one line of evidence; exits 0 when the guest ran and said what it should.
# Bounded twice: alarm ends a KVM_RUN that does not return (KVM_RUN gives up with EINTR when a
# signal arrives), `timeout` a perl that hangs anywhere else.
kvm_api_probe() {
  timeout 10 perl - 2>&1 <<'PERL'
use strict;
# ioctl numbers: include/uapi/linux/kvm.h (KVMIO 0xAE), encoded as in
# include/uapi/asm-generic/ioctl.h: _IO(t,nr) = t<<8|nr; _IOW(t,nr,T) adds 1<<30|sizeof(T)<<16.
my $KVM_GET_API_VERSION        = 0xAE00;     # _IO(KVMIO, 0x00); returns KVM_API_VERSION, 12
my $KVM_CREATE_VM              = 0xAE01;     # _IO(KVMIO, 0x01); returns a VM fd
my $KVM_GET_VCPU_MMAP_SIZE     = 0xAE04;     # _IO(KVMIO, 0x04); on the /dev/kvm fd
my $KVM_CREATE_VCPU            = 0xAE41;     # _IO(KVMIO, 0x41); returns a vCPU fd
my $KVM_SET_USER_MEMORY_REGION = 0x4020AE46; # _IOW(KVMIO, 0x46, struct kvm_userspace_memory_region), 32 bytes
my $KVM_SET_TSS_ADDR           = 0xAE47;     # _IO(KVMIO, 0x47)
my $KVM_RUN                    = 0xAE80;     # _IO(KVMIO, 0x80)
# exit_reason values, KVM_EXIT_* in include/uapi/linux/kvm.h (KVM_EXIT_IO 2, KVM_EXIT_IO_OUT 1).
my @EXIT = qw(UNKNOWN EXCEPTION IO HYPERCALL DEBUG HLT MMIO IRQ_WINDOW_OPEN SHUTDOWN FAIL_ENTRY
  INTR SET_TPR TPR_ACCESS S390_SIEIC S390_RESET DCR NMI INTERNAL_ERROR OSI PAPR_HCALL);
my $SYS_mmap = 9;   # arch/x86/entry/syscalls/syscall_64.tbl: "9 common mmap"
my ($O_RDWR, $PROT_RW, $MAP_SHARED) = (2, 3, 1);  # asm-generic/fcntl.h, mman-common.h, linux/mman.h
# The guest: mov al,0x4b; out 0xf4,al; hlt (KVM ends KVM_RUN at the out: the port has no device).
my $CODE = "\xb0\x4b\xe6\xf4\xf4";
my $ALARM = 5;
sub done { print "KVM API probe (perl): $_[1]\n"; exit $_[0] }
sub fail { done(1, $_[0]) }

# 1. /dev/kvm and its API version (Documentation/virt/kvm/api.rst: always 12).
sysopen(my $kvm, "/dev/kvm", $O_RDWR) or fail("cannot open /dev/kvm read-write: $!");
my $version = ioctl($kvm, $KVM_GET_API_VERSION, 0);
defined $version or fail("KVM_GET_API_VERSION failed: $!");
$version == 12 or fail("KVM_GET_API_VERSION is $version, not 12");
# 2. A VM (machine type 0). KVM_SET_TSS_ADDR: api.rst calls it required on Intel hosts (real
# mode without unrestricted guest runs in vm86 mode, which needs a TSS: vmx_set_tss_addr);
# svm_set_tss_addr accepts and ignores it. api.rst: three pages below 4 GiB, clear of every
# memory slot: 0xfffbd000-0xfffbffff, between the code's page and the EPT identity-map page
# KVM places by default at 0xfffbc000 (VMX_EPT_IDENTITY_PAGETABLE_ADDR, arch/x86/include/asm/vmx.h).
my $vmfd = ioctl($kvm, $KVM_CREATE_VM, 0) or fail("KVM_CREATE_VM failed: $!");
open(my $vm, "+<&=", $vmfd) or fail("cannot use the VM fd $vmfd: $!");
ioctl($vm, $KVM_SET_TSS_ADDR, 0xfffbd000) or fail("KVM_SET_TSS_ADDR failed: $!");
# 3. One page of guest memory at guest-physical 0xfffff000: after reset the vCPU runs real
# mode code at CS base 0xffff0000 + RIP 0xfff0 = 0xfffffff0 (kvm_vcpu_reset in
# arch/x86/kvm/x86.c writes RIP 0xfff0; vmx_vcpu_reset / svm init_vmcb set CS base
# 0xffff0000), so no register needs setting. The page is a page-aligned slice of a perl
# string: its buffer address from pack("p"); the string keeps its length from here on, so perl
# never reallocates it, and the address is taken again after the write to prove it.
my $mem = "\0" x (3 * 4096);
my $base = unpack("J", pack("p", $mem));
my $page = (4096 - $base % 4096) % 4096;
substr($mem, $page + 0xff0, length $CODE) = $CODE;
unpack("J", pack("p", $mem)) == $base or fail("perl moved the guest memory buffer");
# struct kvm_userspace_memory_region { __u32 slot, flags; __u64 guest_phys_addr, memory_size, userspace_addr; }
ioctl($vm, $KVM_SET_USER_MEMORY_REGION, pack("LLQQQ", 0, 0, 0xfffff000, 4096, $base + $page))
  or fail("KVM_SET_USER_MEMORY_REGION failed: $!");
# 4. One vCPU and its struct kvm_run, mmap'ed from the vCPU fd. perl's syscall() returns the
# full 64-bit address since 5.18 (pp_syscall: "IV retval", perl commit f9344c91a4, RT #113980);
# older perls cut it to 32 bits, so there ask for a low address and accept only that one.
my $cpufd = ioctl($vm, $KVM_CREATE_VCPU, 0) or fail("KVM_CREATE_VCPU failed: $!");
my $size = ioctl($kvm, $KVM_GET_VCPU_MMAP_SIZE, 0) or fail("KVM_GET_VCPU_MMAP_SIZE failed: $!");
my $hint = $] < 5.018 ? 0x40000000 : 0;
my $run = syscall($SYS_mmap, $hint, $size + 0, $PROT_RW, $MAP_SHARED, $cpufd + 0, 0);
$run == -1 and fail("mmap of the vCPU's kvm_run failed: $!");
$hint and $run != $hint and fail(sprintf("mmap put kvm_run at 0x%x, not at 0x%x (perl %s)", $run, $hint, $]));
# 5. KVM_RUN, bounded by the alarm (the handler only has to exist: the signal makes KVM_RUN
# return EINTR instead of killing perl).
open(my $cpu, "+<&=", $cpufd) or fail("cannot use the vCPU fd $cpufd: $!");
local $SIG{ALRM} = sub {};
alarm $ALARM;
my $ran = ioctl($cpu, $KVM_RUN, 0);
my $error = $!;
alarm 0;
my $EINTR = 4;      # include/uapi/asm-generic/errno-base.h
defined $ran or fail($error + 0 == $EINTR
  ? "KVM_RUN did not return within $ALARM s (the guest never exited)" : "KVM_RUN failed: $error");
# 6. struct kvm_run (include/uapi/linux/kvm.h, x86_64 offsets): __u32 exit_reason at 8; the
# union at 32: io {__u8 direction, size; __u16 port; __u32 count; __u64 data_offset},
# fail_entry {__u64 hardware_entry_failure_reason; ...}, internal {__u32 suberror; ...}.
my ($reason, $u64, $direction, $width, $port, $count, $data) = unpack("x8 L x20 Q X8 C C S L Q", unpack("P48", pack("J", $run)));
my $name = defined $EXIT[$reason] ? "KVM_EXIT_$EXIT[$reason]" : "exit reason";
if ($reason == 2) {
  my $value = unpack("C", unpack("P1", pack("J", $run + $data)));
  my $io = ($direction == 1 ? sprintf("out 0x%x to", $value) : "in from") . sprintf(" port 0x%x (size %d, count %d)", $port, $width, $count);
  done(0, "KVM_RUN exited KVM_EXIT_IO, out 0x4b to port 0xf4")
    if $direction == 1 && $port == 0xf4 && $width == 1 && $count == 1 && $value == 0x4b;
  fail("KVM_RUN exited KVM_EXIT_IO, but with $io instead of out 0x4b to port 0xf4");
}
my $detail = $reason == 9 ? sprintf(", hardware entry failure reason 0x%x", $u64)
  : $reason == 0 ? sprintf(", hardware exit reason 0x%x", $u64)
  : $reason == 17 ? sprintf(", suberror %d", $u64 & 0xffffffff) : "";
fail("KVM_RUN exited with $name ($reason)$detail, not KVM_EXIT_IO (the guest's out 0xf4)");
PERL
}

check_kvm_runs() {
  arch=$(uname -m)
  qemu=$(command -v qemu-system-x86_64 2>/dev/null || true)
  if [ ! -c /dev/kvm ]; then say kvm-runs fail "no /dev/kvm to run a guest on"
  elif [ "$arch" != x86_64 ]; then say kvm-runs skip "the test guests are x86 code and this machine is $arch"
  elif command -v perl >/dev/null 2>&1; then
    out=$(kvm_api_probe); rc=$?
    out=$(printf '%s' "$out" | tr '\n\t' '  ' | head -c 300)
    if [ $rc -eq 0 ]; then say kvm-runs pass "$out"
    elif [ $rc -eq 124 ]; then say kvm-runs fail "KVM API probe (perl): no answer within 10 s"
    else say kvm-runs fail "${out:-KVM API probe (perl): perl exited with status $rc and said nothing}"; fi
  elif [ -n "$qemu" ]; then
    d=$(mktemp -d)
    dd if=/dev/zero of="$d/bios" bs=1024 count=64 2>/dev/null
    printf '\272\370\003\260\113\356\272\364\000\260\000\356\364' | dd of="$d/bios" bs=1 seek=65520 conv=notrunc 2>/dev/null
    out=$(timeout 20 "$qemu" -accel kvm -machine pc -m 16 -nodefaults -display none -no-reboot \
          -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
          -bios "$d/bios" -serial stdio 2>"$d/err" </dev/null | head -c 1)
    if [ "$out" = K ]; then say kvm-runs pass "QEMU probe (qemu-system-x86_64 -accel kvm; no perl): a test guest ran and wrote K to its serial port"
    else say kvm-runs fail "QEMU probe (qemu-system-x86_64 -accel kvm; no perl): no output from a test guest: $(head -c 200 "$d/err" | tr '\n\t' '  ')"; fi
    rm -rf "$d"
  else say kvm-runs skip "neither perl (the KVM API probe) nor qemu-system-x86_64 (the QEMU probe) is installed, so no test guest can be run"; fi
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
