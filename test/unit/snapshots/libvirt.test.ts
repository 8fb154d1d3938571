// The libvirt backend's pure parts: the connection vagrant-libvirt would use, and libvirt's
// and QEMU's words turned into a cause and a fix (the words as virsh says them: see
// test/cli/snapshot-libvirt.test.ts, which meets them on real libvirt).
import { libvirtCauseOf } from "../../../src/snapshots/libvirt.js";
import { libvirtUriOf } from "../../../src/vagrant/libvirt-connection.js";

const machine = (options?: Record<string, unknown>) => ({ name: "web", libvirt: { options } }) as never;

test("the URI: libvirt.options.uri, else LIBVIRT_DEFAULT_URI when no connection setting, else qemu:///system (session with qemu_use_session)", () => {
  expect(libvirtUriOf(machine(), {})).toBe("qemu:///system");
  expect(libvirtUriOf(machine(), { LIBVIRT_DEFAULT_URI: "qemu:///session" })).toBe("qemu:///session");
  expect(libvirtUriOf(machine({ uri: "qemu+unix:///system?socket=/x" }), { LIBVIRT_DEFAULT_URI: "qemu:///session" })).toBe("qemu+unix:///system?socket=/x");
  expect(libvirtUriOf(machine({ qemu_use_session: true }), { LIBVIRT_DEFAULT_URI: "qemu:///other" })).toBe("qemu:///session");
  expect(libvirtUriOf(machine({ qemu_use_session: false }), { LIBVIRT_DEFAULT_URI: "qemu:///other" })).toBe("qemu:///system");
  expect(() => libvirtUriOf(machine({ host: "far", connect_via_ssh: true }), {})).toThrow(/machine web: kvm-lab reaches local libvirt only, and libvirt.options sets connect_via_ssh, host/);
});

test("causes with a fix: a raw disk, a 9p or virtiofs share, UEFI pflash; the words are kept", () => {
  const raw = libvirtCauseOf("unsupported configuration: internal snapshot for disk vdb unsupported for storage type raw", "web");
  expect(raw.message).toMatch(/^disk vdb is raw, and internal snapshots need qcow2 disks \(virsh: unsupported configuration: /);
  expect(raw.fix).toContain("qcow2");
  for (const words of [
    "Requested operation is not valid: cannot migrate domain: non-migratable device: 0000:00:02.0/vhost-user-fs",
    "operation failed: Failed to take snapshot: Error: Migration is disabled when VirtFS export path '/srv/lab' is mounted in the guest using mount_tag 'abc'",
    "Operation not supported: migration with virtiofs device is not supported",
  ]) {
    const share = libvirtCauseOf(words, "web");
    expect(share.message).toContain("9p or virtiofs shared folder");
    expect(share.message).toContain(words);
    expect(share.fix).toBe('give web\'s synced folders type "rsync" or "nfs" (syncedFolders[].type), or turn them off, then kvm-lab up again');
  }
  const uefi = libvirtCauseOf("Operation not supported: internal snapshots of a VM with pflash based firmware are not supported", "web");
  expect(uefi.message).toContain("UEFI firmware from pflash");
  expect(uefi.fix).toBe("boot web with the BIOS (no loader or nvram in libvirt.options)");
  const blocked = libvirtCauseOf("Requested operation is not valid: cannot migrate domain: State blocked by non-migratable CPU device (invtsc flag)", "web");
  expect(blocked.message).toContain("something in it blocks migration");
  expect(blocked.fix).toContain("invtsc");
  expect(libvirtCauseOf("something else entirely", "web")).toEqual({ message: "something else entirely" });
});
