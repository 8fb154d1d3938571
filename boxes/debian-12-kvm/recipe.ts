// Debian 12 with the KVM stack inside: a box that is ready to run VMs itself.
import { defineRecipe } from "kvm-lab";
import { KVM_STACK } from "../shared/kvm-stack.js";

export default defineRecipe({
  name: "debian-12-kvm",
  description: "Debian 12 (bookworm) with QEMU/KVM, libvirt (default network on virbr0), cpu-checker, rsync and ansible-core",
  version: "1.1.0",
  suite: "bookworm",
  diskGiB: 20,
  ...KVM_STACK,
});
