// How long the generated CI workflow takes, for the scaffolded README: one place for the
// numbers, so the sentence and its source never drift apart. They come from timed runs
// on a 2-core Debian 12 machine where the lab's VMs (and the box's build tools) ran under
// QEMU software emulation (TCG): GitHub's Linux runners have KVM, so expect less there.

/** Minutes the workflow took here, cold (box cache miss) and cached (hit), and their parts. */
export interface CiTimes {
  /** `kvm-lab box build <recipe> --provider libvirt` with an empty build cache. */
  boxBuildMinutes: number;
  /** `npm test -- --provider libvirt`: render, up, check, destroy. */
  labMinutes: number;
  /** A run whose box cache missed: build + add + up + check + destroy. */
  coldMinutes: number;
  /** A run whose box cache hit: add + up + check + destroy. */
  cachedMinutes: number;
  /** Where they were measured, as the README says it. */
  measuredOn: string;
}

// Measured here on 2026-12-01 (2-core Debian 12 host, no usable KVM): `kvm-lab box build
// debian-13-kvm --provider libvirt` with an empty build cache took 152 s (debootstrap 39 s,
// packages 88 s); `vagrant box add` of its catalog 2 s; `kvm-lab test --provider libvirt` of
// the minimal template's lab (one machine, 2 vCPUs, 4 GiB, accel "tcg"), all 8 checks
// passing, 111 s. Not counted: the runner's apt and npm installs, which this host cannot time.
export const CI_TIMES: CiTimes = {
  boxBuildMinutes: 2.5,
  labMinutes: 2,
  coldMinutes: 4.5,
  cachedMinutes: 2,
  measuredOn: "a 2-core Debian 12 machine under QEMU software emulation (no KVM), for the minimal template's one machine",
};

/** The README's sentence about the workflow's times, from CI_TIMES. */
export function ciTimesSentence(times: CiTimes = CI_TIMES): string {
  return (
    `Measured on ${times.measuredOn}: about ${times.coldMinutes} minutes when the box cache misses ` +
    `(${times.boxBuildMinutes} to build the box, ${times.labMinutes} for the lab) and ${times.cachedMinutes} when it hits, ` +
    "not counting the runner's package installs. " +
    "Those numbers are from software emulation; GitHub's Linux runners have KVM, so expect less there."
  );
}
