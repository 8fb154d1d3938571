// How long the generated CI workflow takes, for the scaffolded README: one place for the
// numbers, so the sentence and its source never drift apart. They come from `npm run bench`
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

// PLACEHOLDER: the lead fills in measured values
export const CI_TIMES: CiTimes = {
  boxBuildMinutes: 6,
  labMinutes: 9,
  coldMinutes: 15,
  cachedMinutes: 9,
  measuredOn: "a 2-core Debian 12 machine under QEMU software emulation (no KVM)",
};

/** The README's sentence about the workflow's times, from CI_TIMES. */
export function ciTimesSentence(times: CiTimes = CI_TIMES): string {
  return (
    `Measured with \`npm run bench\` on ${times.measuredOn}: about ${times.coldMinutes} minutes when the box cache misses ` +
    `(${times.boxBuildMinutes} to build the box, ${times.labMinutes} for the lab) and ${times.cachedMinutes} when it hits. ` +
    "Those numbers are from software emulation; GitHub's Linux runners have KVM, so expect less there."
  );
}
