// The Debian 13 recipes, the defaults, for real: both boxes of each built from Debian's
// packages (or reused from the first e2e file that needed them), sizes, catalogs with the
// content version, and debian-13-minimal's VirtualBox VMDK booted under QEMU. Their libvirt
// boxes boot in the libvirt e2e labs (network, multi-host, lab: the KVM box's 8 checks),
// their VirtualBox boxes under the VirtualBox twin (virtualbox.test.ts). The Debian 12
// recipes and the reproducibility rebuild: box-builds.test.ts, beside the VM files.
import { boxRecipeTests } from "../support/box-checks.js";

boxRecipeTests("debian-13-minimal", { bootVmdk: true });
boxRecipeTests("debian-13-kvm", { bootVmdk: false });
