// Lab snapshots on libvirt through virsh: internal snapshots, as vagrant-libvirt 0.11.2 makes
// them, so `vagrant snapshot list` shows the same ones. One virsh a machine instead of one
// `vagrant snapshot` (a Ruby start of seconds) a machine; every domain at once.
// - save: vagrant-libvirt lib/vagrant-libvirt/driver.rb create_snapshot deletes a snapshot of
//   the name first, then create_new_snapshot calls snapshot_create_xml with
//   `<domainsnapshot><name>..</name><description>..</description></domainsnapshot>` and no
//   flags; `virsh snapshot-create-as DOMAIN --name N --description D` builds that same XML
//   (libvirt tools/virsh-snapshot.c cmdSnapshotCreateAs) and calls the same API. Of a running
//   domain libvirt keeps the memory too (snapshot state "running": qemuSnapshotCreateActiveInternal
//   runs QEMU's savevm), so a revert resumes the guest without a boot.
// - restore: driver.rb restore_snapshot reverts with flag 4, VIR_DOMAIN_SNAPSHOT_REVERT_FORCE
//   (virsh snapshot-revert --force), for https://bugzilla.redhat.com/show_bug.cgi?id=1006886.
// - delete: driver.rb delete_snapshot (virsh snapshot-delete).
// The connection is vagrant-libvirt's (vagrant/libvirt-connection.ts).
import type { Machine } from "../config/types.js";
import { ProviderToolMissingError } from "../errors.js";
import { runProcess, type ProcessResult } from "../process/run.js";
import { libvirtUriOf, virshBinary } from "../vagrant/libvirt-connection.js";
import { MachineStepError, type MachineSnapshot, type MachineState, type MachineStateInfo, type ProviderMachine, type SnapshotBackend } from "./backend.js";

/** What virsh said, without its `error: ` prefixes, on one line per line it wrote. */
function virshWords(result: ProcessResult): string {
  const text = (result.stderr.trim() || result.stdout.trim() || `exit ${result.exitCode ?? result.signal}`).replace(/^error: /gm, "");
  return result.timedOut ? `${text} (timed out)` : text;
}

/**
 * The causes of a failed virsh snapshot step that have a fix, from libvirt's and QEMU's words:
 * - a raw disk: "internal snapshot for disk vda unsupported for storage type raw" (libvirt
 *   src/qemu/qemu_snapshot.c qemuSnapshotPrepare: internal snapshots need qcow2);
 * - UEFI from pflash: "internal snapshots of a VM with pflash based firmware are not
 *   supported" (the same file; both texts are in Debian 12's libvirt 9.0 qemu driver);
 * - a shared folder: QEMU cannot save the memory of a guest with a virtiofs device
 *   (vhost-user-fs is unmigratable: "cannot migrate domain: non-migratable device:
 *   .../vhost-user-fs", libvirt qemuMigrationSrcIsAllowed; "migration with virtiofs device is
 *   not supported") or with a mounted 9p export (QEMU hw/9pfs/9p.c v9fs_attach: "Migration is
 *   disabled when VirtFS export path '...' is mounted in the guest using mount_tag '...'");
 * - anything else that blocks migration ("cannot migrate domain: %s", "State blocked by
 *   non-migratable device", both libvirt 9.0), since savevm is a migration to the disk.
 */
export function libvirtCauseOf(words: string, machine: string): { message: string; fix?: string } {
  const raw = /internal snapshot for disk (\S+) unsupported for storage type (\S+)/.exec(words);
  if (raw) {
    return {
      message: `disk ${raw[1]} is ${raw[2]}, and internal snapshots need qcow2 disks (virsh: ${words})`,
      fix: `give ${machine} qcow2 disks only (a box with a qcow2 image; no raw volumes through libvirt.options)`,
    };
  }
  if (/internal snapshots of a VM with pflash based firmware are not supported/.test(words)) {
    return {
      message: `it boots UEFI firmware from pflash, and libvirt takes no internal snapshot of such a machine (virsh: ${words})`,
      fix: `boot ${machine} with the BIOS (no loader or nvram in libvirt.options)`,
    };
  }
  if (/vhost-user-fs|virtiofs|VirtFS|virtio-9p|9pfs/i.test(words) && /migrat/i.test(words)) {
    return {
      message: `QEMU cannot save the memory of a machine with a 9p or virtiofs shared folder (virsh: ${words})`,
      fix: `give ${machine}'s synced folders type "rsync" or "nfs" (syncedFolders[].type), or turn them off, then kvm-lab up again`,
    };
  }
  if (/non-migratable|Migration is disabled|cannot migrate domain/i.test(words)) {
    return {
      message: `QEMU cannot save the memory of this machine: something in it blocks migration, which a memory snapshot needs (virsh: ${words})`,
      fix: `remove what the words name from ${machine} (a passed-through host device, a CPU feature such as invtsc), then kvm-lab up again`,
    };
  }
  if (/no domain snapshot with matching name|Domain snapshot not found/i.test(words)) return { message: `it has no such snapshot (virsh: ${words})` };
  if (/failed to connect to the hypervisor|Failed to connect socket/i.test(words)) return { message: words, fix: "start libvirtd, or check the connection URI (libvirt.options.uri)" };
  return { message: words };
}

/** The states of `virsh domstate` (libvirt tools/virsh-domain-monitor.c virshDomainStateToString). */
function stateOf(said: string): MachineState {
  if (said === "running") return "running";
  if (said === "paused" || said === "pmsuspended") return "paused";
  if (said === "shut off" || said === "crashed") return "stopped";
  return "other";
}

/** A line of `virsh snapshot-list DOMAIN`: `name  2026-12-01 02:17:42 +0000  running`. */
const LIST_ROW = /^\s*(\S.*?)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4})\s+(\S+)\s*$/;

/** The snapshot backend for labs on libvirt: one virsh process a step, all machines at once. */
export function libvirtBackend(lab: { machines: Pick<Machine, "name" | "libvirt">[] }, options: { timeoutMs?: number } = {}): SnapshotBackend {
  const uris = new Map(lab.machines.map((m) => [m.name, libvirtUriOf(m)]));
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;

  async function virsh(machine: ProviderMachine, args: string[]): Promise<ProcessResult> {
    const binary = virshBinary();
    const uri = uris.get(machine.name) ?? "qemu:///system";
    const result = await runProcess(binary, ["-c", uri, ...args], { timeoutMs });
    if (result.notFound || result.notExecutable) {
      throw new ProviderToolMissingError(`virsh cannot be run (looked for "${binary}")`, { hint: "apt-get install -y libvirt-clients, or set KVM_LAB_VIRSH to its path", cause: result });
    }
    return result;
  }

  async function step(machine: ProviderMachine, args: string[]): Promise<string> {
    const result = await virsh(machine, args);
    if (!result.failed) return result.stdout;
    const cause = libvirtCauseOf(virshWords(result), machine.name);
    throw new MachineStepError(cause.message, cause.fix);
  }

  async function list(machine: ProviderMachine): Promise<MachineSnapshot[]> {
    const text = await step(machine, ["snapshot-list", machine.id]);
    const rows = text.split("\n").slice(2); // the heading and its rule
    return rows.flatMap((line) => {
      const row = LIST_ROW.exec(line);
      // The snapshot's state is the domain's when it was taken: only a shut-off one has no memory.
      return row ? [{ name: row[1], memory: row[3] !== "shutoff" && row[3] !== "disk-snapshot" }] : [];
    });
  }

  return {
    provider: "libvirt",
    parallel: true,
    async state(machine): Promise<MachineStateInfo> {
      const result = await virsh(machine, ["domstate", machine.id]);
      if (result.failed) {
        const words = virshWords(result);
        // A domain Vagrant's id names but libvirt no longer has: libvirt's VIR_ERR_NO_DOMAIN.
        if (/failed to get domain|Domain not found/i.test(words)) return { state: "not_created", said: "no such domain" };
        throw new MachineStepError(libvirtCauseOf(words, machine.name).message, libvirtCauseOf(words, machine.name).fix);
      }
      const said = result.stdout.trim().split("\n")[0];
      return { state: stateOf(said), said };
    },
    list,
    async save(machine, name) {
      if ((await list(machine)).some((s) => s.name === name)) await step(machine, ["snapshot-delete", machine.id, name]);
      await step(machine, ["snapshot-create-as", machine.id, "--name", name, "--description", "kvm-lab lab snapshot"]);
    },
    async restore(machine, name) {
      await step(machine, ["snapshot-revert", machine.id, name, "--force"]);
    },
    async delete(machine, name) {
      await step(machine, ["snapshot-delete", machine.id, name]);
    },
  };
}
