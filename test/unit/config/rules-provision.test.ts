// Rules of provisioning steps, the lab's /etc/hosts and the NIC settings the guest is told
// about: each test asserts the field path and the message (and the fix where there is one).
import path from "node:path";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig, Provider } from "../../../src/config/types.js";
import { ConfigError, formatProblem, type Problem } from "../../../src/errors.js";
import { tempDir } from "../../support/tools.js";

let folder: string;
beforeAll(async () => {
  folder = await tempDir("kvm-lab-rules-provision-");
  await fs.outputFile(path.join(folder, "scripts", "setup.sh"), "echo hi\n");
  await fs.outputFile(path.join(folder, "files", "motd"), "hello\n");
  await fs.outputFile(path.join(folder, "site.yml"), "- hosts: all\n");
});
afterAll(() => fs.remove(folder));

function base(): LabConfig & Record<string, any> {
  return {
    name: "lab",
    box: "debian/bookworm64",
    networks: {
      mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
      "data-net": { mode: "intnet", cidr: "10.10.0.0/24" },
      lan: { mode: "bridged", bridge: "eth0" },
    },
    machines: [
      { name: "ctl", nics: [{ network: "mgmt", ip: "192.168.56.10" }] },
      { name: "web{n}", count: 2, nics: [{ network: "mgmt", ip: "192.168.56.21" }, { network: "data-net", ip: "10.10.0.21" }] },
    ],
  };
}

/** The config with `steps` as ctl's provisioning. */
function withSteps(...steps: unknown[]): LabConfig {
  const config = base();
  (config.machines[0] as any).provision = steps;
  return config;
}

function resultOf(config: unknown, provider?: Provider): { errors: Problem[]; warnings: Problem[] } {
  try {
    return { errors: [], warnings: checkConfig(config, { provider, file: path.join(folder, "kvm-lab.config.ts") }).warnings };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { errors: error.problems, warnings: [] };
  }
}
const errorsOf = (config: unknown, provider?: Provider) => resultOf(config, provider).errors;
const warningsOf = (config: unknown, provider?: Provider) => resultOf(config, provider).warnings;

function at(problems: Problem[], where: string): Problem {
  const found = problems.find((p) => p.path === where);
  if (!found) throw new Error(`no problem at ${where}; got:\n${problems.map(formatProblem).join("\n") || "(none)"}`);
  return found;
}

const STEP = "machines[0] (ctl).provision[0]";

test("every step type with every field, files present: no problem", () => {
  const config = withSteps(
    "apt-get update",
    { type: "shell", name: "setup", path: "scripts/setup.sh", args: ["a b"], env: { ROLE: "x" }, privileged: false, run: "always" },
    { type: "shell", name: "remote", path: "https://example.com/setup.sh" },
    { type: "file", name: "motd", source: "files/motd", destination: "~/motd", run: "never" },
    { type: "reboot", name: "reboot" },
    { type: "ansible", name: "site", playbook: "site.yml", extraVars: { a: { b: [1, "c"] } }, groups: { ctl_only: ["ctl"], "webs:children": ["web", "mgmt"], "webs:vars": ["port=80"] }, limit: "all", verbose: "vvv" },
  );
  expect(resultOf(config)).toEqual({ errors: [], warnings: [] });
});

describe("shell", () => {
  test("both inline and path", () => {
    const p = at(errorsOf(withSteps({ type: "shell", inline: "true", path: "scripts/setup.sh" })), STEP);
    expect(p.message).toBe("has both inline and path");
  });

  test("neither inline nor path", () => {
    const p = at(errorsOf(withSteps({ type: "shell", name: "x" })), STEP);
    expect(p.message).toBe("has neither inline nor path");
    expect(p.fix).toContain("inline:");
  });

  test("a script missing from the lab folder is an error: Vagrant's validate refuses it", () => {
    const p = at(errorsOf(withSteps({ type: "shell", path: "scripts/nope.sh" })), `${STEP}.path`);
    expect(p.message).toBe(`"scripts/nope.sh" does not exist in ${folder}, and Vagrant refuses a shell step whose script is missing`);
  });

  test("a folder is not a script", () => {
    expect(at(errorsOf(withSteps({ type: "shell", path: "scripts" })), `${STEP}.path`).message).toMatch(/^"scripts" is not a file/);
  });

  test("without a lab folder (a config not read from a file) paths are not checked", () => {
    expect(() => checkConfig(withSteps({ type: "shell", path: "scripts/nope.sh" }))).not.toThrow();
  });

  test("an env name that is not a shell variable name", () => {
    const p = at(errorsOf(withSteps({ type: "shell", inline: "env", env: { "X=1; reboot;": "v" } })), `${STEP}.env`);
    expect(p.message).toContain('"X=1; reboot;" is not a shell variable name');
  });

  test("run takes once, always, never", () => {
    const p = at(errorsOf(withSteps({ type: "shell", inline: "true", run: "sometimes" })), `${STEP}.run`);
    expect(p.message).toContain("sometimes");
  });
});

describe("file", () => {
  test("a missing source is an error", () => {
    const p = at(errorsOf(withSteps({ type: "file", source: "files/none", destination: "/tmp/x" })), `${STEP}.source`);
    expect(p.message).toBe(`"files/none" does not exist in ${folder}, and Vagrant refuses a file step whose source is missing`);
  });

  test("a folder is a source", () => {
    expect(errorsOf(withSteps({ type: "file", source: "files", destination: "/tmp/files" }))).toEqual([]);
  });

  test("a relative destination is warned about", () => {
    const p = at(warningsOf(withSteps({ type: "file", source: "files/motd", destination: "motd" })), `${STEP}.destination`);
    expect(p.message).toBe(`"motd" is relative: it lands relative to the SSH user's working folder in the guest`);
  });

  test("a destination the guest's shell would act on is refused", () => {
    for (const destination of ["/tmp/$(reboot)", "/tmp/a;b", "/tmp/100%", "/tmp/`id`", "/tmp/a\\b"]) {
      const p = at(errorsOf(withSteps({ type: "file", source: "files/motd", destination })), `${STEP}.destination`);
      expect(p.message).toContain("printf <destination>");
    }
  });

  test("a destination under $HOME is refused with the ~ path that means the same", () => {
    for (const [destination, tilde] of [["$HOME/.tmux.conf", "~/.tmux.conf"], ["${HOME}/conf/app.ini", "~/conf/app.ini"], ["$HOME", "~"]]) {
      const p = at(errorsOf(withSteps({ type: "file", source: "files/motd", destination })), `${STEP}.destination`);
      expect(p.fix).toBe(`use "${tilde}" (a leading ~ is the SSH user's home, as $HOME is)`);
    }
    // Other shell characters after $HOME: the general fix.
    const p = at(errorsOf(withSteps({ type: "file", source: "files/motd", destination: "$HOME/$(id)" })), `${STEP}.destination`);
    expect(p.fix).toBe("use letters, digits, spaces and / . _ - + , : @ = (a leading ~ is the SSH user's home)");
    expect(at(errorsOf(withSteps({ type: "file", source: "files/motd", destination: "$HOMEDIR/x" })), `${STEP}.destination`).fix).toMatch(/^use letters/);
  });

  test("an empty destination", () => {
    expect(at(errorsOf(withSteps({ type: "file", source: "files/motd", destination: " " })), `${STEP}.destination`).message).toBe("is empty");
  });
});

describe("ansible", () => {
  test("a missing playbook is a warning: Vagrant checks it when the step runs", () => {
    const p = at(warningsOf(withSteps({ type: "ansible", playbook: "nope.yml" })), `${STEP}.playbook`);
    expect(p.message).toBe(`"nope.yml" does not exist in ${folder}: the step fails when it runs`);
  });

  test("provisioningPath and install are ansible_local's", () => {
    const errors = errorsOf(withSteps({ type: "ansible", playbook: "site.yml", provisioningPath: "/srv", install: true }));
    expect(at(errors, `${STEP}.provisioningPath`).fix).toBe('remove it, or use type: "ansible_local"');
    expect(at(errors, `${STEP}.install`).message).toContain("ansible_local");
  });

  test("ansible_local without /vagrant in the guest", () => {
    const step = { type: "ansible_local", playbook: "site.yml" };
    const p = at(warningsOf(withSteps(step), "libvirt"), `${STEP}.playbook`);
    expect(p.message).toBe("ansible_local reads the playbook in the guest under /vagrant, which this lab does not share");
    // VirtualBox shares the lab folder by default; so does syncedFolder: true; provisioningPath points elsewhere.
    expect(warningsOf(withSteps(step), "virtualbox")).toEqual([]);
    expect(warningsOf({ ...withSteps(step), syncedFolder: true }, "libvirt")).toEqual([]);
    expect(warningsOf(withSteps({ ...step, provisioningPath: "/srv/ansible" }), "libvirt")).toEqual([]);
  });

  test("ansible_local: playbook and provisioningPath go unquoted, limit in double quotes, into the guest's shell", () => {
    const hostile = { type: "ansible_local", playbook: "site.yml; touch /pwned", provisioningPath: "/srv/$(id)", limit: 'web*"; id; "' };
    const errors = errorsOf({ ...withSteps(hostile), syncedFolder: true });
    expect(at(errors, `${STEP}.playbook`).message).toBe('"site.yml; touch /pwned": ansible_local pastes it unquoted into the command the guest\'s shell runs');
    expect(at(errors, `${STEP}.provisioningPath`).fix).toBe("use letters, digits and _ . , : = + @ % / ~ - in the path");
    expect(at(errors, `${STEP}.limit`).message).toMatch(/--limit="\.\.\." to the guest's shell/);
    // Host patterns without those characters pass; `ansible` runs without a shell, so anything goes there.
    expect(errorsOf({ ...withSteps({ type: "ansible_local", playbook: "site.yml", provisioningPath: "/srv/ansible-1", limit: "web*:!web2:&db[0]" }), syncedFolder: true })).toEqual([]);
    expect(errorsOf(withSteps({ type: "ansible", playbook: "site.yml", limit: 'a"$b' }))).toEqual([]);
  });

  test("verbose is v to vvvvvv", () => {
    const p = at(errorsOf(withSteps({ type: "ansible", playbook: "site.yml", verbose: "loud" })), `${STEP}.verbose`);
    expect(p.message).toBe('"loud" is not a verbosity (Vagrant would run -v instead)');
    expect(errorsOf(withSteps({ type: "ansible", playbook: "site.yml", verbose: "-vvvv" }))).toEqual([]);
  });

  test("a group naming an unknown machine, with the known names", () => {
    const p = at(errorsOf(withSteps({ type: "ansible", playbook: "site.yml", groups: { db: ["ctl", "web3"] } })), `${STEP}.groups["db"][1]`);
    expect(p.message).toBe('"web3" is not a machine of this lab (Vagrant would leave it out of the inventory)');
    expect(p.fix).toBe('did you mean "web1"? The machines: ctl, web1, web2');
    expect(at(errorsOf(withSteps({ type: "ansible", playbook: "site.yml", groups: { db: ["wb2"] } })), `${STEP}.groups["db"][0]`).fix).toContain('did you mean "web2"?');
  });

  test(":children lists groups: the step's and the lab's (counted entries, networks sanitized)", () => {
    const ok = withSteps({ type: "ansible", playbook: "site.yml", groups: { db: ["ctl"], "all_of:children": ["db", "web", "data_net", "mgmt"] } });
    expect(errorsOf(ok)).toEqual([]);
    const p = at(errorsOf(withSteps({ type: "ansible", playbook: "site.yml", groups: { "x:children": ["data-net"] } })), `${STEP}.groups["x:children"][0]`);
    expect(p.message).toBe('"data-net" is not a group of this lab (Vagrant would leave it out of the inventory)');
    expect(p.fix).toContain('did you mean "data_net"?');
  });

  test("a group name Ansible would rename", () => {
    const p = at(errorsOf(withSteps({ type: "ansible", playbook: "site.yml", groups: { "db-servers": ["ctl"] } })), `${STEP}.groups["db-servers"]`);
    expect(p.message).toBe('"db-servers" is not an Ansible group name');
  });

  test(":vars members are name=value lines", () => {
    const p = at(errorsOf(withSteps({ type: "ansible", playbook: "site.yml", groups: { "all:vars": ["port=80", "oops"] } })), `${STEP}.groups["all:vars"][1]`);
    expect(p.fix).toBe('write "name=value"');
  });
});

test("two steps of a machine with one name: Vagrant would merge them", () => {
  const p = at(errorsOf(withSteps({ type: "file", name: "copy", source: "files/motd", destination: "/tmp/a" }, { type: "ansible", name: "copy", playbook: "site.yml" })), "machines[0] (ctl).provision[1].name");
  expect(p.message).toBe(`"copy" is already the name of ${STEP}`);
});

test("kvm-lab's own step names are reserved", () => {
  const p = at(errorsOf(withSteps({ type: "shell", name: "kvm-lab: /etc/hosts", inline: "true" })), `${STEP}.name`);
  expect(p.message).toContain("names kvm-lab's own steps");
});

test("counted machines: a step's problem is reported once, on the entry's first machine", () => {
  const config = base();
  (config.machines[1] as any).provision = [{ type: "shell" }];
  const errors = errorsOf(config);
  expect(at(errors, "machines[1] (web1).provision[0]").message).toBe("has neither inline nor path");
  expect(errors.filter((p) => p.path.includes("provision"))).toHaveLength(1);
});

test("long lists of machines are cut short", () => {
  const config = base();
  (config.machines[1] as any).count = 30;
  const fix = at(errorsOf({ ...config, machines: [{ ...config.machines[0], provision: [{ type: "ansible", playbook: "site.yml", groups: { g: ["nobody"] } }] }, config.machines[1]] }), `${STEP}.groups["g"][0]`).fix;
  expect(fix).toBe("use one of the machines: ctl, web1, web2, web3, web4, web5, web6, web7, web8, web9 and 21 more");
});

describe("etcHosts", () => {
  test("an unknown network, with did you mean", () => {
    const p = at(errorsOf({ ...base(), etcHosts: { network: "mgnt" } }), "etcHosts.network");
    expect(p.message).toBe('"mgnt" is not a network of this lab');
    expect(p.fix).toBe('did you mean "mgmt"?');
  });

  test("machines without a static address on the network are named", () => {
    const p = at(warningsOf({ ...base(), etcHosts: { network: "data-net" } }), "etcHosts.network");
    expect(p.message).toBe("machine ctl has no static ip on data-net, so /etc/hosts does not list it");
    expect(warningsOf({ ...base(), etcHosts: { network: "mgmt" } })).toEqual([]);
  });
});

describe("NIC guest settings", () => {
  const nicConfig = (nic: Record<string, unknown>) => {
    const config = base();
    config.machines[0].nics = [nic as any];
    return config;
  };
  const NIC = "machines[0] (ctl).nics[0]";

  test("an MTU outside 68..65535", () => {
    expect(at(errorsOf(nicConfig({ network: "mgmt", ip: "192.168.56.10", mtu: 67 })), `${NIC}.mtu`).message).toBe("67 is not an MTU");
    expect(at(errorsOf(nicConfig({ network: "mgmt", ip: "192.168.56.10", mtu: 70000 })), `${NIC}.mtu`).message).toBe("70000 is not an MTU");
  });

  test("mtu with autoConfig false is not set in the guest", () => {
    const p = at(warningsOf(nicConfig({ network: "data-net", ip: "10.10.0.10", mtu: 9000, autoConfig: false })), `${NIC}.mtu`);
    expect(p.message).toContain("autoConfig false");
  });

  test("NICs of one network with different MTUs", () => {
    const warnings = warningsOf(nicConfig({ network: "data-net", ip: "10.10.0.10", mtu: 9000 }));
    const p = at(warnings, "machines[1] (web1).nics[1]");
    expect(p.message).toBe("MTU 1500 (the default) on data-net, where machines[0] (ctl).nics[0] has 9000: frames bigger than the smaller MTU are dropped");
    // web2 is the same entry: one warning for both.
    expect(warnings.filter((w) => w.message.startsWith("MTU"))).toHaveLength(1);
  });

  test("defaultRoute is for bridged NICs with DHCP", () => {
    expect(errorsOf(nicConfig({ network: "lan", defaultRoute: true }))).toEqual([]);
    expect(at(errorsOf(nicConfig({ network: "lan", ip: "192.168.1.50", defaultRoute: true })), `${NIC}.defaultRoute`).fix).toBe("remove ip (DHCP) or remove defaultRoute");
    expect(at(errorsOf(nicConfig({ network: "mgmt", defaultRoute: true })), `${NIC}.defaultRoute`).message).toContain("this one is hostonly");
    expect(at(errorsOf(nicConfig({ network: "lan", defaultRoute: true, autoConfig: false })), `${NIC}.defaultRoute`).message).toContain("autoConfig is false");
  });
});
