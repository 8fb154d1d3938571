// Value checks of `VBoxManage modifyvm`, mirroring the `switch (c)` of
// handleModifyVM() in VBoxManageModifyVM.cpp (6.1.38 / 7.0.18 / 7.1.12).
// All keyword comparisons there use RTStrICmp (case-insensitive) unless noted.
//
// Each check returns undefined (accepted) or an error:
//   { kind: "fail",   text }  errorArgument(...); hrc = E_FAIL -> loop stops, exit 1
//   { kind: "syntax", text }  return errorSyntax(...)         -> exit 2 (+usage)
//   { kind: "arg",    text }  return errorArgument(...)       -> exit 2, no usage
//   { kind: "main",   text }  the COM setter fails (Main, CHECK_ERROR) -> exit 1
// `ctx` = { t: target, defines: Set, opt: the getopt hit, fetch: RTGetOptFetchValue }.

const oneOf = (list) => (v) => list.some((k) => k.toLowerCase() === v.toLowerCase());
const fail = (text) => ({ kind: "fail", text });
const is7 = (t) => t.version !== "6.1";

export const VALUE_CHECKS = {
  // case MODIFYVM_FIRMWARE
  MODIFYVM_FIRMWARE: (v) => (oneOf(["efi", "efi32", "efi64", "efidual", "bios"])(v) ? undefined : fail(`Invalid --firmware argument '${v}'`)),
  // case MODIFYVM_PARAVIRTPROVIDER
  MODIFYVM_PARAVIRTPROVIDER: (v) => (oneOf(["none", "disabled", "default", "legacy", "minimal", "hyperv", "kvm"])(v)
    ? undefined : fail(`Invalid --paravirtprovider argument '${v}'`)),
  // case MODIFYVM_GRAPHICSCONTROLLER (#ifdef VBOX_WITH_VMSVGA; qemuramfb only in 7.1)
  MODIFYVM_GRAPHICSCONTROLLER: (v, { t }) => (oneOf(["none", "disabled", "vboxvga", "vbox", "vga", "vesa", "vmsvga", "vmware",
    "vboxsvga", "svga", ...(t.version === "7.1" ? ["qemuramfb", "qemu-ramfb"] : [])])(v) ? undefined : fail(`Invalid --graphicscontroller argument '${v}'`)),
  // case MODIFYVM_FWBOOTMENU (6.1: MODIFYVM_BIOSBOOTMENU)
  MODIFYVM_FWBOOTMENU: (v) => (oneOf(["disabled", "menuonly", "messageandmenu"])(v) ? undefined : fail(`Invalid --biosbootmenu argument '${v}'`)),
  // case MODIFYVM_FWAPIC (6.1: MODIFYVM_BIOSAPIC)
  MODIFYVM_FWAPIC: (v) => (oneOf(["disabled", "apic", "lapic", "xapic", "x2apic"])(v) ? undefined : fail(`Invalid --biosapic argument '${v}'`)),
  // case MODIFYVM_BOOT: `return errorArgument("Invalid boot device '%s'")`
  MODIFYVM_BOOT: (v) => (oneOf(["none", "floppy", "dvd", "disk", "net"])(v) ? undefined : { kind: "arg", text: `Invalid boot device '${v}'` }),
  // case MODIFYVM_NICTYPE (#ifdef VBOX_WITH_E1000 / VBOX_WITH_VIRTIO; NE1000.. added in 7.0)
  MODIFYVM_NICTYPE: (v, { t, opt }) => (oneOf(["Am79C970A", "Am79C973", "Am79C960", "82540EM", "82543GC", "82545EM", "virtio",
    ...(is7(t) ? ["NE1000", "NE2000", "WD8003", "WD8013", "3C503", "3C501"] : [])])(v)
    ? undefined : fail(`Invalid NIC type '${v}' specified for NIC ${opt.index}`)),
  // case MODIFYVM_NIC (hostonlynet: #ifdef VBOX_WITH_VMNET; cloud: #ifdef VBOX_WITH_CLOUD_NET, 7.0+)
  MODIFYVM_NIC: (v, { t, defines, opt }) => (oneOf(["none", "null", "nat", "bridged", "hostif", "intnet", "hostonly",
    ...(defines.has("VBOX_WITH_VMNET") ? ["hostonlynet"] : []), "generic", "natnetwork",
    ...(is7(t) && defines.has("VBOX_WITH_CLOUD_NET") ? ["cloud"] : [])])(v)
    ? undefined : fail(`Invalid type '${v}' specfied for NIC ${opt.index}`)),
  // case MODIFYVM_NICPROMISC (checked before the NIC number)
  MODIFYVM_NICPROMISC: (v) => (oneOf(["deny", "allow-vms", "allow-network", "allow-all"])(v) ? undefined : fail(`Unknown promiscuous mode policy '${v}'`)),
  // case MODIFYVM_NICPROPERTY: 'name=value'
  MODIFYVM_NICPROPERTY: (v, { opt }) => (v.includes("=") ? undefined : fail(`Invalid --nicproperty${opt.index} argument '${v}'`)),
  // case MODIFYVM_NICBOOTPRIO: 0..4
  MODIFYVM_NICBOOTPRIO: (v, { opt }) => (Number(v) <= 4 ? undefined : fail(`Invalid boot priority '${v}' specfied for NIC ${opt.index}`)),
  // case MODIFYVM_NATPF + ITERATE_TO_NEXT_TERM: "name,proto,hostip,hostport,guestip,guestport" or "delete <name>"
  MODIFYVM_NATPF: (v, { t, opt, fetch }) => {
    if (v === "delete") { // RTStrCmp: case-sensitive
      const f = fetch();
      if (f.rc) return { kind: "syntax", text: "Not enough parameters" };
      opt.values = ["delete", f.value];
      return undefined;
    }
    const parts = v.split(",");
    if (parts.length < 6) return { kind: "syntax", text: `Missing or ${t.version === "6.1" ? "Invalid" : "invalid"} argument to '${opt.row.name}'` };
    const proto = parts[1].trim();
    if (!oneOf(["udp", "tcp"])(proto)) return fail(`Invalid proto '${v}' specfied for NIC ${opt.index}`);
    return undefined;
  },
  // case MODIFYVM_NATSETTINGS: "mtu,socksnd,sockrcv,tcpsnd,tcprcv"
  MODIFYVM_NATSETTINGS: (v, { t, opt }) => (v.split(",").length >= 5 ? undefined
    : { kind: "syntax", text: `Missing or ${t.version === "6.1" ? "Invalid" : "invalid"} argument to '${opt.row.name}'` }),
  // NetworkAdapter::i_updateMacAddress (Main, NetworkAdapterImpl.cpp): 12 hex digits, even first octet.
  MODIFYVM_MACADDRESS: (v) => {
    if (v.toLowerCase() === "auto") return undefined;
    if (/^[0-9A-Fa-f]{12}$/.test(v) && parseInt(v[1], 16) % 2 === 0) return undefined;
    return { kind: "main", text: "Invalid MAC address format" };
  },
  // case MODIFYVM_HIDPTR / MODIFYVM_HIDKBD ("none", "usbmtscreenpluspad" added in 7.0)
  MODIFYVM_HIDPTR: (v, { t }) => (oneOf(["ps2", "usb", "usbtablet", "usbmultitouch", ...(is7(t) ? ["usbmtscreenpluspad", "none"] : [])])(v)
    ? undefined : fail(`Invalid type '${v}' specfied for pointing device`)),
  MODIFYVM_HIDKBD: (v, { t }) => (oneOf(["ps2", "usb", ...(is7(t) ? ["none"] : [])])(v) ? undefined : fail(`Invalid type '${v}' specfied for keyboard`)),
  // case MODIFYVM_UARTTYPE: return errorSyntax("Invalid argument to '%s'")
  MODIFYVM_UARTTYPE: (v, { opt }) => (oneOf(["16450", "16550A", "16750"])(v) ? undefined : { kind: "syntax", text: `Invalid argument to '${opt.row.name}'` }),
  // case MODIFYVM_AUDIOCONTROLLER / MODIFYVM_AUDIOCODEC
  MODIFYVM_AUDIOCONTROLLER: (v) => (oneOf(["sb16", "ac97", "hda"])(v) ? undefined : fail(`Invalid --audiocontroller argument '${v}'`)),
  MODIFYVM_AUDIOCODEC: (v) => (oneOf(["sb16", "stac9700", "ad1980", "stac9221"])(v) ? undefined : fail(`Invalid --audiocodec argument '${v}'`)),
  // case MODIFYVM_AUDIO / MODIFYVM_AUDIODRIVER (drivers #ifdef'd per host)
  MODIFYVM_AUDIO: audioDriver,
  MODIFYVM_AUDIODRIVER: audioDriver,
  // case MODIFYVM_CLIPBOARD_MODE / MODIFYVM_DRAGANDDROP
  MODIFYVM_CLIPBOARD_MODE: (v) => (oneOf(["disabled", "hosttoguest", "guesttohost", "bidirectional"])(v) ? undefined : fail(`Invalid --clipboard-mode argument '${v}'`)),
  MODIFYVM_DRAGANDDROP: (v) => (oneOf(["disabled", "hosttoguest", "guesttohost", "bidirectional"])(v) ? undefined : fail(`Invalid --draganddrop argument '${v}'`)),
  // case MODIFYVM_VRDEAUTHTYPE
  MODIFYVM_VRDEAUTHTYPE: (v) => (oneOf(["null", "external", "guest"])(v) ? undefined : fail(`Invalid --vrdeauthtype argument '${v}'`)),
  // case MODIFYVM_CHIPSET (armv8/armv8virtual in 7.1)
  MODIFYVM_CHIPSET: (v, { t }) => (oneOf(["piix3", "ich9", ...(t.version === "7.1" ? ["armv8", "armv8virtual"] : [])])(v) ? undefined
    : fail(`Invalid --chipset argument '${v}' (valid: piix3,ich9${t.version === "7.1" ? ",armv8virtual" : ""})`)),
  // case MODIFYVM_UART / MODIFYVM_LPT: "<iobase> <irq>" unless off|disable.  The IRQ is fetched with
  // `RTGetOptFetchValue(...) != MODIFYVM_UART` (sic), so a missing/bad IRQ is never reported; the next
  // argument is consumed whatever it is.  The I/O base must parse (RTStrToUInt32Ex base 0) and be != 0.
  MODIFYVM_UART: ioPort("UART"),
  MODIFYVM_LPT: ioPort("LPT"),
  // case MODIFYVM_UARTMODE: server|client|tcpserver|tcpclient|file take a second value
  MODIFYVM_UARTMODE: (v, ctx) => (oneOf(["server", "client", "tcpserver", "tcpclient", "file"])(v) ? second(v, ctx) : undefined),
  // case MODIFYVM_USBRENAME: "<old> <new>"
  MODIFYVM_USBRENAME: (v, ctx) => second(v, ctx),
  // handleModifyVM_x86 case MODIFYVM_X86_SETCPUID: leaf[:subleaf] then 4 hex register values
  MODIFYVM_SETCPUID: (v, ctx) => {
    const vals = [v];
    for (let i = 0; i < 4; i++) {
      const f = ctx.fetch();
      if (f.rc || !/^(0[xX])?[0-9a-fA-F]+$/.test(f.value) || BigInt(`0x${f.value.replace(/^0[xX]/, "")}`) > 0xffffffffn)
        return { kind: "syntax", text: `Missing or ${ctx.t.version === "6.1" ? "Invalid" : "invalid"} argument to '${ctx.opt.row.name}'` };
      vals.push(f.value);
    }
    ctx.opt.values = vals;
    return undefined;
  },
  // 6.1 "--cpuidset" (MODIFYVM_SETCPUID_OLD, a plain leaf) shares the code of MODIFYVM_SETCPUID
  get MODIFYVM_SETCPUID_OLD() { return this.MODIFYVM_SETCPUID; },
  // nameToVMProcPriority
  MODIFYVM_VMPROC_PRIORITY: (v) => (oneOf(["default", "flat", "low", "normal", "high"])(v) ? undefined : fail(`Invalid --vm-process-priority '${v}'`)),
};

function second(v, ctx) {
  const f = ctx.fetch();
  if (f.rc) return { kind: "syntax", text: `Missing or ${ctx.t.version === "6.1" ? "Invalid" : "invalid"} argument to '${ctx.opt.row.name}'` };
  ctx.opt.values = [v, f.value];
  return undefined;
}

function ioPort(what) {
  return (v, ctx) => {
    if (oneOf(["off", "disable"])(v)) return undefined;
    const f = ctx.fetch();
    ctx.opt.values = f.rc ? [v] : [v, f.value];
    const m = /^\s*(?:0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9]\d*))$/.exec(v);
    const n = m ? (m[1] ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2] || "0", 8) : Number(m[3])) : 0;
    if (!m || n === 0 || n > 0xffffffff) return { kind: "arg", text: `Error parsing ${what} I/O base '${v}'` };
    return undefined;
  };
}

function audioDriver(v, { t, defines, opt }) {
  const ok = ["none", "null", ...(is7(t) ? ["default"] : []),
    ...(defines.has("RT_OS_WINDOWS") ? (is7(t) ? ["winmm", "dsound", "was"] : ["dsound"]) : []),
    ...(defines.has("VBOX_WITH_AUDIO_OSS") ? ["oss"] : []), ...(defines.has("VBOX_WITH_AUDIO_ALSA") ? ["alsa"] : []),
    ...(defines.has("VBOX_WITH_AUDIO_PULSE") ? ["pulse"] : []), ...(defines.has("RT_OS_DARWIN") ? ["coreaudio"] : [])];
  if (oneOf(ok)(v)) return undefined;
  if (!is7(t)) return fail(`Invalid --audio argument '${v}'`);
  return fail(`Invalid ${opt.row.id === "MODIFYVM_AUDIO" ? "--audio" : "--audio-driver"} argument '${v}'`);
}

// Options whose case starts with `if (!parseNum(GetOptState.uIndex, NetworkAdapterCount, "NIC")) break;`
// (an out-of-range index prints "Invalid NIC number N" and the option is skipped).
export const NIC_INDEXED = new Set(["MODIFYVM_NICTRACEFILE", "MODIFYVM_NICTRACE", "MODIFYVM_NICPROPERTY", "MODIFYVM_NICTYPE",
  "MODIFYVM_NICSPEED", "MODIFYVM_NICBOOTPRIO", "MODIFYVM_NICPROMISC", "MODIFYVM_NICBWGROUP", "MODIFYVM_NIC",
  "MODIFYVM_CABLECONNECTED", "MODIFYVM_BRIDGEADAPTER", "MODIFYVM_CLOUDNET", "MODIFYVM_HOSTONLYADAPTER", "MODIFYVM_HOSTONLYNET",
  "MODIFYVM_INTNET", "MODIFYVM_GENERICDRV", "MODIFYVM_NATNETWORKNAME", "MODIFYVM_NATNET", "MODIFYVM_NATBINDIP",
  "MODIFYVM_NATSETTINGS", "MODIFYVM_NATPF", "MODIFYVM_NATTFTPPREFIX", "MODIFYVM_NATTFTPFILE", "MODIFYVM_NATTFTPSERVER",
  "MODIFYVM_NATDNSPASSDOMAIN", "MODIFYVM_NATDNSPROXY", "MODIFYVM_NATDNSHOSTRESOLVER", "MODIFYVM_NATLOCALHOSTREACHABLE",
  "MODIFYVM_NATFORWARD_BROADCAST", "MODIFYVM_MACADDRESS"]);
// Value checks that run before the NIC-number check (MODIFYVM_NICPROMISC, MODIFYVM_NATSETTINGS).
export const CHECK_BEFORE_INDEX = new Set(["MODIFYVM_NICPROMISC", "MODIFYVM_NATSETTINGS"]);
