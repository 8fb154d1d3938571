// What is running now, read from the provider itself rather than through `vagrant status`
// (a Ruby start per call): which machines Vagrant created (vagrant/machine-ids.ts), their
// state, and the facts a change made outside
// kvm-lab shows in: memory, vCPUs and NICs. libvirt through `virsh domstate` and `virsh
// dumpxml` (libvirt's formatdomain: <memory>, <vcpu>, <interface>); VirtualBox through
// `VBoxManage showvminfo --machinereadable` (memory, cpus, VMState, nicN, macaddressN).
import type { Provider } from "../config/types.js";
import { VagrantMissingError } from "../errors.js";
import { normalizeMac } from "../net/mac.js";
import { runProcess, type ProcessResult } from "../process/run.js";
import { libvirtUriOf, virshBinary } from "../vagrant/libvirt-connection.js";
import { machineIds } from "../vagrant/machine-ids.js";

export interface LiveNic {
  /** lower-case colon form, when the provider shows one. */
  mac?: string;
  /** libvirt: the interface type (network, bridge, direct, user...); VirtualBox: nicN (nat, hostonly, intnet...). */
  type: string;
  /** What it is attached to: a libvirt network or bridge, a VirtualBox host-only interface or internal network. */
  attachedTo?: string;
}

/** The facts of one machine as the provider has them now. */
export interface LiveFacts {
  /** The provider's id (libvirt domain UUID, VirtualBox VM UUID). */
  id: string;
  /** The state in Vagrant's words: running, shutoff, paused (libvirt); running, poweroff, saved, aborted, paused (VirtualBox); not_created. */
  state: string;
  memoryMiB?: number;
  cpus?: number;
  /** In the provider's order: libvirt's management NIC first, VirtualBox's adapter 1 first. */
  nics: LiveNic[];
}

// A loaded libvirtd can take tens of seconds to answer (seen: 35 s for a define while VMs boot).
const TIMEOUT_MS = 60_000;

/** A provider tool that is missing or fails for another reason than an unknown machine. */
function toolError(result: ProcessResult, tool: string, hint: string): VagrantMissingError {
  const why = result.notFound ? "is not installed" : result.timedOut ? `did not answer within ${TIMEOUT_MS / 1000} s` : `failed: ${result.stderr.trim().split("\n")[0] || `exit ${result.exitCode}`}`;
  return new VagrantMissingError(`cannot read the machines' state: ${tool} ${why} (${result.command})`, { hint, cause: result });
}

const VIRSH_HINT = "install libvirt-clients and start libvirtd (apt-get install -y libvirt-daemon-system), or set LIBVIRT_DEFAULT_URI to the connection vagrant-libvirt uses";
const VBOX_HINT = "install VirtualBox (VBoxManage on PATH)";

/** libvirt's states (virsh domstate: "shut off") in vagrant-libvirt's words (lib/vagrant-libvirt/driver.rb `state`, fog's "shutoff"). */
function libvirtState(text: string): string {
  return text.trim().replace(/\s+/g, "");
}

/** Memory in MiB from a libvirt element's text and its `unit` (formatdomain: KiB when absent). */
function mibOf(value: string, unit = "KiB"): number {
  const factor: Record<string, number> = { b: 1 / 1048576, bytes: 1 / 1048576, KB: 1000 / 1048576, k: 1 / 1024, KiB: 1 / 1024, MB: 1e6 / 1048576, M: 1, MiB: 1, GB: 1e9 / 1048576, G: 1024, GiB: 1024 };
  return Math.round(Number(value) * (factor[unit] ?? 1 / 1024));
}

const attr = (text: string, name: string) => new RegExp(`\\b${name}=(['"])(.*?)\\1`).exec(text)?.[2];

/** The facts in a domain's XML (`virsh dumpxml`): memory, vCPUs, NICs in order. */
export function parseDomainXml(xml: string): Pick<LiveFacts, "memoryMiB" | "cpus" | "nics"> {
  const memory = /<memory(\s[^>]*)?>(\d+)<\/memory>/.exec(xml);
  const vcpu = /<vcpu(\s[^>]*)?>(\d+)<\/vcpu>/.exec(xml);
  const nics: LiveNic[] = [];
  for (const match of xml.matchAll(/<interface\s([^>]*)>([\s\S]*?)<\/interface>/g)) {
    const body = match[2];
    const source = /<source\s([^>]*?)\/?>/.exec(body)?.[1] ?? "";
    const attachedTo = attr(source, "network") ?? attr(source, "bridge") ?? attr(source, "dev") ?? (source ? source.trim() : undefined);
    const mac = attr(/<mac\s[^>]*>/.exec(body)?.[0] ?? "", "address");
    nics.push({ type: attr(match[1], "type") ?? "unknown", ...(mac ? { mac: normalizeMac(mac) ?? mac.toLowerCase() } : {}), ...(attachedTo ? { attachedTo } : {}) });
  }
  return {
    ...(memory ? { memoryMiB: mibOf(memory[2], attr(memory[1] ?? "", "unit")) } : {}),
    ...(vcpu ? { cpus: Number(vcpu[2]) } : {}),
    nics,
  };
}

const DOMAIN_UNKNOWN = /failed to get domain|Domain not found|no domain with matching/i;

/** One libvirt domain's facts, or state not_created when libvirt does not know the id (destroyed outside Vagrant). */
export async function libvirtFacts(id: string, uri: string = libvirtUriOf(undefined)): Promise<LiveFacts> {
  const run = (args: string[]) => runProcess(virshBinary(), ["-c", uri, ...args], { timeoutMs: TIMEOUT_MS });
  const [state, xml] = await Promise.all([run(["domstate", id]), run(["dumpxml", id])]);
  if (state.failed && DOMAIN_UNKNOWN.test(state.stderr)) return { id, state: "not_created", nics: [] };
  if (state.failed) throw toolError(state, "virsh", VIRSH_HINT);
  if (xml.failed) throw toolError(xml, "virsh", VIRSH_HINT);
  return { id, state: libvirtState(state.stdout), ...parseDomainXml(xml.stdout) };
}

/** `VBoxManage showvminfo --machinereadable` as key -> value (quotes taken off). */
export function parseMachineReadableInfo(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^("?)([^"=]+)\1=(.*)$/.exec(line.trim());
    if (match) values.set(match[2], match[3].replace(/^"(.*)"$/, "$1"));
  }
  return values;
}

/** Where VirtualBox shows what adapter N is attached to, per attachment type (VBoxManageInfo.cpp, machine-readable names). */
const VBOX_ATTACHMENT_KEY: Record<string, string> = { hostonly: "hostonlyadapter", intnet: "intnet", bridged: "bridgeadapter", natnetwork: "nat-network", generic: "generic", hostonlynet: "hostonly-network" };

/** The facts in `showvminfo --machinereadable` output: memory, vCPUs, state and adapters 1 to 8. */
export function parseShowVmInfo(text: string): Omit<LiveFacts, "id"> {
  const values = parseMachineReadableInfo(text);
  const nics: LiveNic[] = [];
  for (let slot = 1; slot <= 8; slot++) {
    const type = values.get(`nic${slot}`);
    if (!type || type === "none") continue;
    const mac = values.get(`macaddress${slot}`);
    const attachedTo = VBOX_ATTACHMENT_KEY[type] ? values.get(`${VBOX_ATTACHMENT_KEY[type]}${slot}`) : undefined;
    nics.push({ type, ...(mac ? { mac: normalizeMac(mac) ?? mac.toLowerCase() } : {}), ...(attachedTo ? { attachedTo } : {}) });
  }
  const memory = Number(values.get("memory"));
  const cpus = Number(values.get("cpus"));
  return {
    state: values.get("VMState") ?? "unknown",
    ...(Number.isFinite(memory) && values.has("memory") ? { memoryMiB: memory } : {}),
    ...(Number.isFinite(cpus) && values.has("cpus") ? { cpus } : {}),
    nics,
  };
}

const VM_UNKNOWN = /Could not find a registered machine|VBOX_E_OBJECT_NOT_FOUND/;

/** One VirtualBox VM's facts, or state not_created when VirtualBox does not know the id. */
export async function virtualboxFacts(id: string): Promise<LiveFacts> {
  const result = await runProcess("VBoxManage", ["showvminfo", id, "--machinereadable"], { timeoutMs: TIMEOUT_MS });
  if (result.failed && VM_UNKNOWN.test(result.stderr)) return { id, state: "not_created", nics: [] };
  if (result.failed) throw toolError(result, "VBoxManage", VBOX_HINT);
  return { id, ...parseShowVmInfo(result.stdout) };
}

/** The live facts of every machine Vagrant created in the lab at `dir` (config or not), all asked at once. */
export async function liveMachines(dir: string, provider: Provider, uriOf: (machine: string) => string = () => libvirtUriOf(undefined)): Promise<Map<string, LiveFacts>> {
  const ids = await machineIds(dir, provider);
  const read = (name: string, id: string) => (provider === "libvirt" ? libvirtFacts(id, uriOf(name)) : virtualboxFacts(id));
  const facts = await Promise.all([...ids].map(async ([name, id]) => [name, await read(name, id)] as const));
  return new Map(facts);
}

/** Whether a state is a machine that is up. */
export const isRunning = (state: string) => state === "running";
