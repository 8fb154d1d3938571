// Preprocessor symbols an official Oracle VBoxManage build is compiled with, per
// VirtualBox version and host OS.  Used by tools/extract-getopt-tables.mjs to
// decide which `#ifdef`-guarded RTGETOPTDEF rows exist, and by the value
// parsers for `#ifdef`-guarded keywords (e.g. `--nic hostonlynet`).
//
// Source of every symbol: Config.kmk (the `VBOX_WITH_* = 1` lines and their
// `if1of ($(KBUILD_TARGET), ...)` guards) and src/VBox/Frontends/VBoxManage/
// Makefile.kmk (VBOX_COMMON_VBOXMANAGE_DEFS, which forwards them to the
// compiler).  Line numbers: Config.kmk 6.1.38 / 7.0.18 / 7.1.12.
//
//  - VBOX_WITH_VMNET: Config.kmk 7.0.18 l.989, 7.1.12 l.1034 (`VBOX_WITH_VMNET = 1`,
//    unconditional) but VBoxManage/Makefile.kmk only passes it when
//    `"$(KBUILD_TARGET)"=="darwin"` (7.0.18 l.45, 7.1.12 l.67).  Absent in 6.1.
//  - VBOX_WITH_NETFLT: `if1of ($(KBUILD_TARGET), darwin freebsd linux solaris win)`
//    (6.1.38 l.788, 7.1.12 l.1009).
//  - VBOX_WITH_CLOUD_NET: unconditional in 6.1.38 l.809 / 7.0.18 l.986; 7.1.12
//    l.1031 only `ifdef VBOX_WITH_LIBSSH` (official builds ship libssh: assumed on).
//  - VBOX_WITH_SHARED_CLIPBOARD_TRANSFERS: commented out in 6.1/7.0; 7.1.12 l.932
//    `if1of ($(KBUILD_TARGET), win linux)`.
//  - VBOX_WITH_AUDIO_OSS: `ifn1of ($(KBUILD_TARGET), win darwin)`; ALSA/PULSE: linux only
//    (7.1.12 l.611-619).
//  - VBOX_WITH_VIDEOHWACCEL: `if1of ($(KBUILD_TARGET), darwin linux win freebsd)`.
//  - VBOX_WITH_IOMMU_AMD/INTEL, VBOX_WITH_TPM, VBOX_WITH_FULL_VM_ENCRYPTION: 7.0+ only.
//  - VBOX_WITH_UPDATE_AGENT: 7.0+ (`ifdef VBOX_WITH_LIBCURL`, on in official builds).
//  - VBOX_WITH_VBOXSDL: 6.1.38 l.666 only (removed in 7.0).
//  - VBOX_WITH_PCI_PASSTHROUGH: defined empty (= off) in all three.
//  - VBOX_WITH_VIRTIO_NET_1_0: never set.
//  - RT_OS_LINUX / RT_OS_DARWIN / RT_OS_WINDOWS: the host OS (IPRT).

export const VERSIONS = ["6.1", "7.0", "7.1"];
export const HOSTS = ["linux", "darwin", "windows"];

const COMMON = [
  "VBOX_WITH_NETFLT", "VBOX_WITH_NAT_SERVICE", "VBOX_WITH_GUEST_PROPS", "VBOX_WITH_GUEST_CONTROL",
  "VBOX_WITH_VIDEOHWACCEL", "VBOX_WITH_USB_CARDREADER", "VBOX_WITH_RECORDING", "VBOX_WITH_AUDIO_RECORDING",
  "VBOX_WITH_SHARED_CLIPBOARD", "VBOX_WITH_CLOUD_NET", "VBOX_WITH_E1000", "VBOX_WITH_VIRTIO",
  "VBOX_WITH_VMSVGA", "VBOX_WITH_AHCI", "VBOX_WITH_SCSI", "VBOX_WITH_HOSTNETIF_API", "VBOX_WITH_HEADLESS",
  "VBOX_WITH_HGCM", "VBOX_WITH_COPYTOGUEST",
];

/** @returns {Set<string>} the defines for one build */
export function buildDefines(version, host) {
  const d = new Set(COMMON);
  d.add({ linux: "RT_OS_LINUX", darwin: "RT_OS_DARWIN", windows: "RT_OS_WINDOWS" }[host]);
  if (host === "linux") d.add("VBOX_WITH_AUDIO_OSS").add("VBOX_WITH_AUDIO_ALSA").add("VBOX_WITH_AUDIO_PULSE");
  if (version === "6.1") d.add("VBOX_WITH_VBOXSDL");
  if (version !== "6.1") {
    for (const s of ["VBOX_WITH_IOMMU_AMD", "VBOX_WITH_IOMMU_INTEL", "VBOX_WITH_TPM",
      "VBOX_WITH_FULL_VM_ENCRYPTION", "VBOX_WITH_UPDATE_AGENT"]) d.add(s);
    if (host === "darwin") d.add("VBOX_WITH_VMNET");
  }
  if (version === "7.1" && host !== "darwin") d.add("VBOX_WITH_SHARED_CLIPBOARD_TRANSFERS");
  return d;
}

/** Evaluates a C preprocessor condition (as text) against a define set. */
export function evalCondition(expr, defines) {
  const js = expr
    .replace(/\/\*.*?\*\//g, "")
    .replace(/\/\/.*$/, "")
    .replace(/defined\s*\(\s*(\w+)\s*\)/g, (_, s) => (defines.has(s) ? " true " : " false "))
    .replace(/defined\s+(\w+)/g, (_, s) => (defines.has(s) ? " true " : " false "))
    .replace(/\b[A-Za-z_]\w*\b/g, (s) => (s === "true" || s === "false" ? s : defines.has(s) ? "1" : "0"));
  if (!/^[\s!&|()01truefals<>=]*$/.test(js)) throw new Error(`cannot evaluate #if ${expr}`);
  return Boolean(Function(`return (${js});`)());
}
