// The preflight of a lab's hosts (src/hosts/preflight.ts), for real: this machine as one host
// and an ssh host that cannot be reached (127.0.0.1, port 1: refused at once, nothing leaves
// the machine). Every problem of every host comes in one error, exit 3, before anything runs.
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig } from "../../../src/config/types.js";
import { HostPreflightError } from "../../../src/errors.js";
import { preflightHosts } from "../../../src/hosts/preflight.js";
import { hostShell, shellQuote, sshArgs } from "../../../src/hosts/shell.js";
import { parseLibvirtUri } from "../../../src/config/libvirt-uri.js";

const HUGE = 64 * 1024 * 1024; // MiB: more than any test machine has free

const config: LabConfig = {
  name: "pre",
  provider: "libvirt",
  box: "debian/bookworm64",
  hosts: {
    here: { uri: "qemu:///system", cpus: 64, memory: HUGE },
    far: { uri: "qemu+ssh://root@127.0.0.1:1/system?no_verify=1", cpus: 64, memory: 4096 },
  },
  machines: [
    { name: "big", host: "here", memory: HUGE, accel: "tcg" },
    { name: "small", host: "far", memory: 512, accel: "tcg" },
  ],
};

test("every host's problems at once: the unreachable one by its ssh, this one by its free memory; exit 3", async () => {
  const { lab } = checkConfig(config);
  const error = await preflightHosts(lab, ["big", "small"]).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HostPreflightError);
  const preflight = error as HostPreflightError;
  expect(preflight.exitCode).toBe(3);
  expect(preflight.message).toContain("nothing was started");
  const far = preflight.problems.find((p) => p.path === "hosts.far")!;
  expect(far.message).toMatch(/^not reachable over SSH as root@127\.0\.0\.1: .*(refused|Connection)/);
  expect(far.fix).toContain("ssh root@127.0.0.1 true");
  const here = preflight.problems.find((p) => p.path === "hosts.here" && p.message.includes("MemAvailable"))!;
  expect(here.message).toMatch(new RegExp(`^big need ${HUGE} MiB; \\d+ MiB is available there \\(MemAvailable\\)$`));
}, 60_000);

test("only the machines about to start count against free memory", async () => {
  const { lab } = checkConfig({ ...config, hosts: { here: config.hosts!.here }, machines: [{ ...config.machines[0] }] });
  const result = await preflightHosts(lab, []).catch((e: unknown) => e as HostPreflightError);
  // Whatever else this machine lacks (a libvirtd), memory is not a problem for machines not starting.
  const problems = result instanceof HostPreflightError ? result.problems : [];
  expect(problems.filter((p) => p.message.includes("MemAvailable"))).toEqual([]);
}, 60_000);

test("ssh is called as libvirt's ssh transport would be, every word quoted for the remote shell", () => {
  const parsed = parseLibvirtUri("qemu+ssh://lab@h.example.org:2222/system?keyfile=/k/id&no_verify=1");
  if (!parsed.ok) throw new Error(parsed.message);
  expect(sshArgs(parsed.uri)).toEqual(["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-T", "-p", "2222", "-l", "lab", "-i", "/k/id", "-o", "StrictHostKeyChecking=no", "h.example.org"]);
  expect(["ip", "link", "a b", "it's", "$(x)", "kvx-1"].map(shellQuote).join(" ")).toBe(`ip link 'a b' 'it'\\''s' '$(x)' kvx-1`);
  expect(hostShell({ name: "far", uri: "qemu+ssh://lab@h.example.org/system" }).where).toBe("lab@h.example.org");
  expect(hostShell({ name: "here", uri: "qemu:///system" }).where).toBe("this machine");
});
