// Provisioning as rendered: Ruby hashes of config values (read back by real Ruby), the
// lab's own inventory groups, and kvm-lab's guest scripts (templates/etc-hosts.sh and
// guest-mtu.sh) run by the real sh against files of a temp folder.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { labInventoryGroups, ansibleGroupName } from "../../../src/config/inventory.js";
import { normalizeLab } from "../../../src/config/normalize.js";
import type { ExtraValue } from "../../../src/config/types.js";
import { rubyHash } from "../../../src/render/ruby.js";
import { provisionViews } from "../../../src/render/provision.js";
import { renderVagrantfile } from "../../../src/render/vagrantfile.js";
import { ROOT, tempDir } from "../../support/tools.js";

/** What Ruby makes of a literal, as JSON. */
async function rubyReads(literal: string): Promise<unknown> {
  const { stdout } = await execa("ruby", ["-rjson", "-e", "puts JSON.generate(eval(STDIN.read))"], { input: literal });
  return JSON.parse(stdout);
}

describe("rubyHash", () => {
  const hostile: Record<string, ExtraValue> = {
    '"; system("id"); "': "#{`id`}",
    "#@x": ["\\", "\n", "é😀", 1.5, false],
    nested: { "#{a}": { deeper: [true, "'"] } },
    "": "",
  };

  test("every key and value reads back exactly in Ruby", async () => {
    expect(await rubyReads(rubyHash(hostile))).toEqual(hostile);
  });

  test("a long hash goes one pair a line when an indent is given; Ruby reads it the same", async () => {
    const text = rubyHash(hostile, 2);
    expect(text.split("\n")).toHaveLength(Object.keys(hostile).length + 2);
    expect(text.endsWith("\n  }")).toBe(true);
    expect(await rubyReads(text)).toEqual(hostile);
    expect(rubyHash({ a: 1 }, 2)).toBe('{ "a" => 1 }');
    expect(rubyHash({})).toBe("{}");
  });
});

describe("inventory groups", () => {
  test("one per counted entry and one per network, named as Ansible takes group names", () => {
    const { lab } = normalizeLab({
      name: "lab",
      box: "b",
      networks: { "lab-net": { mode: "hostonly", cidr: "192.168.56.0/24" }, "10g": { mode: "intnet", cidr: "10.0.9.0/24" } },
      machines: [
        { name: "ctl", nics: [{ network: "lab-net", ip: "192.168.56.10" }] },
        { name: "db-node{n}", count: 2, nics: [{ network: "10g", ip: "10.0.9.10" }] },
      ],
    });
    expect(labInventoryGroups(lab)).toEqual({ db_node: ["db-node1", "db-node2"], lab_net: ["ctl"], _0g: ["db-node1", "db-node2"] });
    expect(ansibleGroupName("web.tier")).toBe("web_tier");
  });

  test("written once in the KvmLab module; a step's own groups merge in, a shared group getting both members (the lab's first)", async () => {
    const config = {
      name: "lab",
      box: "b",
      networks: { lan: { mode: "hostonly", cidr: "192.168.56.0/24" } },
      machines: [
        { name: "ctl", nics: [{ network: "lan", ip: "192.168.56.10" }], provision: [{ type: "ansible", playbook: "a.yml", groups: { lan: ["db1", "ctl"], extra: ["ctl"] } }] },
        { name: "db{n}", count: 2, nics: [{ network: "lan", ip: "192.168.56.20" }], provision: [{ type: "ansible_local", playbook: "a.yml" }] },
      ],
    };
    for (const provider of ["libvirt", "virtualbox"] as const) {
      const text = renderVagrantfile(normalizeLab(config, { provider }).lab);
      // The groups once (the module's db and lan groups), not once per step.
      expect(text.match(/"db1", "db2"/g)).toHaveLength(2);
      expect(text).toContain('ansible.groups = KvmLab.inventory_groups({ "lan" => ["db1", "ctl"], "extra" => ["ctl"] })');
      expect(text).toContain("ansible.groups = KvmLab.inventory_groups\n");
      const module = /^module KvmLab\n[\s\S]*?^end\n/m.exec(text)![0].replace(/^  class Error[\s\S]*?^  end\n/m, "");
      const script = `module Vagrant; module Errors; class VagrantError < StandardError; end; end; end\n${module}\nrequire "json"\nputs JSON.generate([KvmLab.inventory_groups, KvmLab.inventory_groups({ "lan" => ["db1", "ctl"], "extra" => ["ctl"] })])`;
      const { stdout } = await execa("ruby", ["-e", script]);
      expect(JSON.parse(stdout)).toEqual([
        { db: ["db1", "db2"], lan: ["ctl", "db1", "db2"] },
        { db: ["db1", "db2"], lan: ["ctl", "db1", "db2"], extra: ["ctl"] },
      ]);
    }
  });
});

describe("templates/etc-hosts.sh", () => {
  const SCRIPT = path.join(ROOT, "templates", "etc-hosts.sh");
  let dir: string;
  beforeEach(async () => (dir = await tempDir("kvm-lab-hosts-")));
  afterEach(() => fs.remove(dir));
  const run = (file: string, args: string[]) => execa("sh", [SCRIPT, ...args], { env: { KVMLAB_HOSTS_FILE: file }, reject: false });

  test("a marked block, replaced on each run; the lines around it kept", async () => {
    const file = path.join(dir, "hosts");
    await fs.writeFile(file, "127.0.0.1 localhost\n127.0.1.1 web1\n");
    expect((await run(file, ["lab", "10.0.0.5", "ctl.lab.example", "ctl", "10.0.0.6", "web1", "web1", "10.0.0.7", "db.lab", "db-main"])).exitCode).toBe(0);
    const first = await fs.readFile(file, "utf8");
    expect(first).toBe(
      [
        "127.0.0.1 localhost",
        "127.0.1.1 web1",
        "# BEGIN kvm-lab lab: the lab's machines (rewritten by each vagrant up and provision)",
        "10.0.0.5 ctl.lab.example ctl",
        "10.0.0.6 web1",
        "10.0.0.7 db.lab db db-main",
        "# END kvm-lab lab",
        "",
      ].join("\n"),
    );
    // Again: the same file. With another lab: the block replaced, a line added by hand kept.
    expect((await run(file, ["lab", "10.0.0.5", "ctl.lab.example", "ctl", "10.0.0.6", "web1", "web1", "10.0.0.7", "db.lab", "db-main"])).exitCode).toBe(0);
    expect(await fs.readFile(file, "utf8")).toBe(first);
    await fs.appendFile(file, "10.9.9.9 mine\n");
    expect((await run(file, ["lab", "10.0.0.8", "solo", "solo"])).exitCode).toBe(0);
    expect(await fs.readFile(file, "utf8")).toBe(
      "127.0.0.1 localhost\n127.0.1.1 web1\n10.9.9.9 mine\n# BEGIN kvm-lab lab: the lab's machines (rewritten by each vagrant up and provision)\n10.0.0.8 solo\n# END kvm-lab lab\n",
    );
  });

  test("values are data: backslashes and % are written as they are, and the block still found again", async () => {
    const file = path.join(dir, "hosts");
    await fs.writeFile(file, "");
    for (let i = 0; i < 2; i++) expect((await run(file, ["l\\n%s", "10.0.0.5", "a\\tb", "c%d"])).exitCode).toBe(0);
    expect(await fs.readFile(file, "utf8")).toBe(
      "# BEGIN kvm-lab l\\n%s: the lab's machines (rewritten by each vagrant up and provision)\n10.0.0.5 a\\tb c%d\n# END kvm-lab l\\n%s\n",
    );
  });

  test("arguments that are not triples are refused, the file untouched", async () => {
    const file = path.join(dir, "hosts");
    await fs.writeFile(file, "127.0.0.1 localhost\n");
    const result = await run(file, ["lab", "10.0.0.5", "ctl"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("usage");
    expect(await fs.readFile(file, "utf8")).toBe("127.0.0.1 localhost\n");
  });
});

describe("templates/guest-mtu.sh", () => {
  const SCRIPT = path.join(ROOT, "templates", "guest-mtu.sh");
  let root: string;
  beforeEach(async () => (root = await tempDir("kvm-lab-mtu-")));
  afterEach(() => fs.remove(root));
  const run = (args: string[]) => execa("sh", [SCRIPT, ...args], { env: { KVMLAB_MTU_ROOT: root }, reject: false });

  test("a udev rule per NIC, by MAC, rewritten whole", async () => {
    expect((await run(["08:00:27:aa:bb:01", "9000", "08:00:27:aa:bb:02", "1400"])).exitCode).toBe(0);
    const rules = path.join(root, "etc/udev/rules.d/70-kvm-lab-mtu.rules");
    expect((await fs.readFile(rules, "utf8")).split("\n").slice(1)).toEqual([
      'ACTION=="add", SUBSYSTEM=="net", ATTR{address}=="08:00:27:aa:bb:01", ATTR{mtu}="9000"',
      'ACTION=="add", SUBSYSTEM=="net", ATTR{address}=="08:00:27:aa:bb:02", ATTR{mtu}="1400"',
      "",
    ]);
    expect((await run(["08:00:27:aa:bb:01", "9000"])).exitCode).toBe(0);
    expect((await fs.readFile(rules, "utf8")).trim().split("\n")).toHaveLength(2);
  });

  test("a MAC without its MTU is refused, not dropped, and nothing is written", async () => {
    const result = await run(["08:00:27:aa:bb:01", "9000", "08:00:27:aa:bb:02"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("usage");
    expect(await fs.pathExists(path.join(root, "etc/udev/rules.d/70-kvm-lab-mtu.rules"))).toBe(false);
  });

  test("a MAC or MTU that is not one is refused", async () => {
    expect((await run(['08:00:27:aa:bb:01", RUN+="/bin/x', "9000"])).stderr).toContain("is not a MAC address");
    expect((await run(["08:00:27:aa:bb:01", "9000x"])).stderr).toContain("is not an MTU");
    // Said as data: dash's echo would turn \\c into "stop here".
    expect((await execa("dash", [SCRIPT, "08:00:27:aa:bb:01", "1\\c0"], { env: { KVMLAB_MTU_ROOT: root }, reject: false })).stderr).toBe("kvm-lab: 1\\c0 is not an MTU");
  });
});

test("MTU NICs get a stable MAC the guest step finds them by, on both providers", () => {
  const config = {
    name: "lab",
    box: "b",
    networks: { data: { mode: "intnet", cidr: "10.0.9.0/24" } },
    machines: [{ name: "m1", nics: [{ network: "data", ip: "10.0.9.10", mtu: 9000 }] }],
  };
  const vbox = renderVagrantfile(normalizeLab(config, { provider: "virtualbox" }).lab);
  const libvirt = renderVagrantfile(normalizeLab(config, { provider: "libvirt" }).lab);
  const mac = /"(08:00:27:[0-9a-f:]{8})", "9000"/.exec(vbox)?.[1];
  expect(mac).toBeDefined();
  expect(vbox).toContain(`mac: "${mac!.replace(/:/g, "").toUpperCase()}"`);
  expect(libvirt).toContain(`mac: "${mac}", libvirt__mtu: 9000`);
  expect(libvirt).toContain(`"${mac}", "9000"`);
  expect(libvirt).toContain("def self.set_mtu_script");
});

test("autoConfig false: auto_config: false once on every declared NIC; kvm-lab's NIC script skips the NIC", () => {
  const config = {
    name: "lab",
    box: "b",
    networks: { t: { mode: "intnet", cidr: "10.0.9.0/24" }, h: { mode: "hostonly", cidr: "192.168.56.0/24" }, n: { mode: "natnetwork", cidr: "10.0.5.0/24" } },
    machines: [
      {
        name: "m1",
        nics: [
          { network: "t", autoConfig: false },
          { network: "h", ip: "192.168.56.10", autoConfig: false },
          { mode: "null", autoConfig: false },
          { network: "n", autoConfig: false },
        ],
      },
    ],
  };
  for (const provider of ["virtualbox", "libvirt"] as const) {
    const text = renderVagrantfile(normalizeLab(config, { provider }).lab);
    const declarations = text.split(/\n\s*node\.vm\.network /).slice(1).map((chunk) => chunk.split(/\n\s*\n|\n\s*#/)[0]);
    const nics = declarations.filter((d) => d.startsWith('"private_network"'));
    expect(nics.length).toBeGreaterThanOrEqual(provider === "libvirt" ? 4 : 2);
    for (const d of nics) expect(d.match(/auto_config: false/g)).toHaveLength(1);
    expect(text).not.toContain("configure_nics_script, args");
  }
});

describe("shell step args and env reach the script as written", () => {
  const GEM = "/usr/share/rubygems-integration/all/gems/vagrant-2.3.4";
  // Vagrant's own quoting of each value (shell/provisioner.rb quote_and_escape), by real Ruby.
  async function vagrantQuotes(values: string[]): Promise<string[]> {
    const script =
      'g = ARGV.shift; $LOAD_PATH.unshift(g + "/lib"); require "vagrant"; require g + "/plugins/provisioners/shell/provisioner"; ' +
      'pr = VagrantPlugins::Shell::Provisioner.allocate; puts JSON.generate(ARGV.map { |a| pr.send(:quote_and_escape, a) })';
    const { stdout } = await execa("ruby", ["-rjson", "-e", script, GEM, ...values]);
    return JSON.parse(stdout);
  }
  const hostile = ["a$(touch pwned)b", "`touch pwned2`", "$HOME", "back\\slash \\$x", 'q"u\\"o"te', "it's", "two words", "\\", "$"];

  (fs.existsSync(GEM) ? test : test.skip)("rendered values, quoted by Vagrant, read back by bash and dash as the config wrote them", async () => {
    const config = { name: "lab", box: "b", machines: [{ name: "m1", provision: [{ type: "shell" as const, inline: "true", args: hostile, env: { V: hostile.join("|") } }] }] };
    const { lab } = normalizeLab(config, { provider: "libvirt" });
    const [step] = provisionViews(lab, lab.machines[0]);
    const settings = Object.fromEntries(step.settings.map((s) => [s.key, s.hash ?? s.value]));
    const args = settings.args as string[];
    const env = settings.env as Record<string, string>;
    const dir = await tempDir("kvm-lab-shell-args-");
    try {
      const quoted = await vagrantQuotes([...args, env.V]);
      // As provision_ssh builds it: `V=<quoted> <script> <quoted args>`.
      const command = `V=${quoted[quoted.length - 1]} sh -c 'printf "%s\\n" "$V" "$@"' script ${quoted.slice(0, -1).join(" ")}`;
      for (const shell of ["bash", "dash"]) {
        const { stdout } = await execa(shell, ["-c", command], { cwd: dir });
        expect(stdout.split("\n")).toEqual([hostile.join("|"), ...hostile]);
      }
      expect(await fs.readdir(dir)).toEqual([]);
    } finally {
      await fs.remove(dir);
    }
  }, 60_000);
});
