// The VBoxManage twin's entry: every call is logged (calls.log in the twin's home), checked
// against the grammar of the VBoxManage it plays (version and host platform: see
// grammar/), then carried out on the twin's registry, with VirtualBox's own output layouts.
// Errors print as VBoxManage prints them and exit with its codes.
import fs from "node:fs";
import path from "node:path";
import { parseCommand } from "./grammar/index.mjs";
import { discardState, getExtraData, guestProperty, importAppliance, listHdds, listVmsText, modifyVm, setExtraData, sharedFolder, showVmInfo, systemProperties, unregisterVm } from "./commands/machines.mjs";
import { dhcpserver, hostonlyif, hostonlynet, listBridgedifs, listDhcpservers, listHostonlyifs, listHostonlynets, listIntnets, listNatnets, natnetwork } from "./commands/networks.mjs";
import { snapshot } from "./commands/snapshots.mjs";
import { hostInfo } from "./commands/host.mjs";
import { controlVm, reconcile, startVm } from "./power.mjs";
import { FULL_VERSION, twinHome, twinTarget, VBoxError, withLock } from "./state.mjs";

const LISTS = {
  vms: () => listVmsText(),
  runningvms: () => listVmsText({ running: true }),
  systemproperties: ({ version }) => systemProperties(version),
  hostonlyifs: () => listHostonlyifs(),
  hostonlynets: () => listHostonlynets(),
  natnets: ({ version }) => listNatnets(version),
  natnetworks: ({ version }) => listNatnets(version),
  dhcpservers: () => listDhcpservers(),
  bridgedifs: () => listBridgedifs(),
  intnets: () => listIntnets(),
  hdds: () => listHdds(),
  hostinfo: () => hostInfo(),
  extpacks: () => "Extension Packs: 0\n",
  ostypes: () => "ID:          Debian_64\nDescription: Debian (64-bit)\nFamily ID:   Linux\nFamily Desc: Linux\n64 bit:      true\n\n",
  groups: () => '"/"\n',
};

async function dispatch(argv, target) {
  const [command, ...args] = argv;
  const { version } = target;
  switch (command) {
    case "--version":
    case "-v":
    case "-version":
      return `${FULL_VERSION[version]}\n`;
    case "list": {
      const subject = args.find((a) => !a.startsWith("-"));
      const lister = LISTS[subject];
      if (!lister) throw new VBoxError(`VBoxManage: error: twin: list ${subject} is not played by the twin`);
      return lister(target);
    }
    case "showvminfo":
      return showVmInfo(args, version);
    case "import":
      return importAppliance(args, version);
    case "modifyvm":
      return modifyVm(args);
    case "startvm":
      return startVm(args);
    case "controlvm":
      return controlVm(args);
    case "unregistervm":
      return unregisterVm(args);
    case "snapshot":
      return snapshot(args);
    case "setextradata":
      return setExtraData(args);
    case "getextradata":
      return getExtraData(args);
    case "guestproperty":
      return guestProperty(args);
    case "sharedfolder":
      return sharedFolder(args);
    case "discardstate":
      return discardState(args);
    case "hostonlyif":
      return hostonlyif(args);
    case "hostonlynet":
      return hostonlynet(args);
    case "dhcpserver":
      return dhcpserver(args);
    case "natnetwork":
      return natnetwork(args, version);
    default:
      throw new VBoxError(`VBoxManage: error: twin: '${command}' is accepted by VBoxManage but not played by the twin`);
  }
}

function log(home, line) {
  fs.appendFileSync(path.join(home, "calls.log"), `${line}\n`);
}

export async function main(argv) {
  let home;
  try {
    home = twinHome();
    const target = twinTarget();
    log(home, JSON.stringify(argv));
    const parsed = parseCommand(argv, target);
    if (!parsed.ok) {
      log(home, `  rejected (${parsed.exitCode}): ${parsed.stderr.split("\n")[0]}`);
      process.stderr.write(parsed.stderr.endsWith("\n") ? parsed.stderr : `${parsed.stderr}\n`);
      return parsed.exitCode;
    }
    // An accepted command may still warn (modifyvm --nic9 on an 8-adapter chipset).
    if (parsed.stderr) process.stderr.write(parsed.stderr.endsWith("\n") ? parsed.stderr : `${parsed.stderr}\n`);
    // Version queries need no registry; everything else runs under the twin's lock.
    const output = argv[0] === "--version" || argv[0] === "-v" ? await dispatch(argv, target) : await withLock(async () => {
      await reconcile();
      return dispatch(argv, target);
    });
    process.stdout.write(output);
    return 0;
  } catch (error) {
    const text = error instanceof VBoxError ? error.stderr : `VBoxManage: error: twin: ${error.stack ?? error}`;
    if (home) log(home, `  failed: ${text.split("\n")[0]}`);
    process.stderr.write(`${text}\n`);
    return error instanceof VBoxError ? error.exitCode : 1;
  }
}
