// The in-guest checks by id, in the order the guest script runs them.

export const CHECK_IDS = ["cpu-flags", "kvm-modules", "dev-kvm", "kvm-runs", "kvm-ok", "nested-param", "libvirtd", "virbr0"] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** Checks required unless the lab config says otherwise. */
export const DEFAULT_REQUIRED: readonly CheckId[] = ["cpu-flags", "kvm-modules", "dev-kvm", "kvm-runs"];

/** What starts every result line the guest script prints. */
export const MARK = "KVMLAB";

/** The guest script's function that runs a check (libvirtd and virbr0 share one). */
export function scriptFunctionOf(id: CheckId): string {
  return id === "libvirtd" || id === "virbr0" ? "libvirt" : id.replace(/-/g, "_");
}
