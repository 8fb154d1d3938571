// The VBoxManage command names: g_aCommands[] in VBoxManage.cpp
// (6.1.38 l.98, 7.0.18 and 7.1.12 l.~110), looked up with an exact strcmp (lookupCommand).
// `#ifdef` guards: guestproperty VBOX_WITH_GUEST_PROPS, guestcontrol VBOX_WITH_GUEST_CONTROL,
// hostonlyif VBOX_WITH_NETFLT, hostonlynet VBOX_WITH_VMNET (darwin builds, 7.0+),
// natnetwork VBOX_WITH_NAT_SERVICE, encryptvm VBOX_WITH_FULL_VM_ENCRYPTION (7.0+),
// updatecheck VBOX_WITH_UPDATE_AGENT (7.0+); see build-defines.mjs for which builds have them.
const ALL = ["6.1", "7.0", "7.1"];
const V7 = ["7.0", "7.1"];
const HOSTS = ["linux", "darwin", "windows"];

const NAMES_ALL = `internalcommands list showvminfo registervm unregistervm clonevm movevm mediumproperty hdproperty
  createmedium createhd createvdi modifymedium modifyhd modifyvdi clonemedium clonehd clonevdi encryptmedium
  checkmediumpwd createvm modifyvm startvm controlvm unattended discardstate adoptstate snapshot closemedium
  storageattach storagectl showmediuminfo showhdinfo showvdiinfo mediumio getextradata setextradata setproperty
  usbfilter sharedfolder guestproperty guestcontrol metrics import export hostonlyif dhcpserver natnetwork
  extpack bandwidthctl debugvm convertfromraw convertdd usbdevsource cloudprofile cloud`.split(/\s+/);
const NAMES_7 = "encryptvm signova updatecheck modifynvram".split(" ");

export const COMMANDS = [
  ...NAMES_ALL.map((name) => ({ name, versions: ALL, hosts: HOSTS, source: "VBoxManage.cpp g_aCommands (6.1.38, 7.0.18, 7.1.12)" })),
  ...NAMES_7.map((name) => ({ name, versions: V7, hosts: HOSTS, source: "VBoxManage.cpp g_aCommands (7.0.18, 7.1.12)" })),
  { name: "hostonlynet", versions: V7, hosts: ["darwin"],
    source: "VBoxManage.cpp g_aCommands #ifdef VBOX_WITH_VMNET (7.0.18, 7.1.12); VBoxManage/Makefile.kmk defines it only for KBUILD_TARGET darwin" },
];

// 6.1 commands still using the legacy USAGE_xxx help (errorSyntax(USAGE_xxx, ...) prints
// "Syntax error: ..." after the full usage); the others had enmHelpCat USAGE_S_NEWCMD.
export const NEW_STYLE_61 = new Set("clonevm unattended snapshot mediumio sharedfolder dhcpserver extpack debugvm cloudprofile cloud".split(" "));
