// The topology graph and its drawings: what is connected to what for each mode, and config
// strings that stay text in Mermaid, DOT and the SVG Graphviz lays out from it.
import path from "node:path";
import { checkConfig, loadLab } from "../../../src/config/load.js";
import { topologyOf, type Topology } from "../../../src/net/topology.js";
import { drawMermaid, drawDot, drawSvg } from "../../../src/net/draw/index.js";
import { ROOT } from "../../support/tools.js";
import { svgTexts } from "../../support/project.js";

function neighbours(topology: Topology, label: string): string[] {
  const node = topology.nodes.find((n) => n.lines[0] === label);
  if (!node) throw new Error(`no node ${label}`);
  const ids = topology.edges.flatMap((e) => (e.from === node.id ? [e.to] : e.to === node.id ? [e.from] : []));
  return ids.map((id) => topology.nodes.find((n) => n.id === id)!.lines[0]).sort();
}

describe("topology of every mode", () => {
  let vbox: Topology;
  let libvirt: Topology;
  beforeAll(async () => {
    const dir = path.join(ROOT, "test", "golden", "every-mode");
    vbox = topologyOf((await loadLab(dir, { provider: "virtualbox" })).lab);
    libvirt = topologyOf((await loadLab(dir, { provider: "libvirt" })).lab);
  });

  test("shared networks are hubs: host-only joins the host, NAT Network the outside, internal neither", () => {
    const hostonly = vbox.nodes.find((n) => n.mode === "hostonly")!;
    const intnet = vbox.nodes.find((n) => n.mode === "intnet")!;
    const natnetwork = vbox.nodes.find((n) => n.mode === "natnetwork")!;
    expect(neighbours(vbox, hostonly.lines[0])).toContain("host");
    expect(neighbours(vbox, hostonly.lines[0])).not.toContain("outside");
    expect(neighbours(vbox, natnetwork.lines[0])).toContain("outside");
    expect(neighbours(vbox, natnetwork.lines[0])).not.toContain("host");
    expect(neighbours(vbox, intnet.lines[0]).filter((n) => n === "host" || n === "outside")).toEqual([]);
  });

  test("every NAT NIC has a NAT of its own; bridged goes through the host device; not attached leads nowhere", () => {
    const nats = vbox.nodes.filter((n) => n.kind === "nat");
    const natEdges = vbox.edges.filter((e) => nats.some((n) => n.id === e.to) && vbox.nodes.find((m) => m.id === e.from)!.kind === "machine");
    expect(natEdges.length).toBe(nats.length); // one machine per NAT node
    const device = vbox.nodes.find((n) => n.kind === "device")!;
    expect(neighbours(vbox, device.lines[0])).toEqual(expect.arrayContaining(["host", "outside"]));
    for (const detached of vbox.nodes.filter((n) => n.kind === "detached")) {
      expect(vbox.edges.filter((e) => e.to === detached.id || e.from === detached.id)).toEqual([expect.objectContaining({ dashed: true })]);
    }
  });

  test("every machine is drawn with adapter 1 in its label", () => {
    const machines = vbox.nodes.filter((n) => n.kind === "machine");
    expect(machines.length).toBeGreaterThan(0);
    // every-mode moves adapter 1's NAT to 10.0.3.0/24 (virtualbox.natCidr): the guest is .15 there.
    for (const m of machines) expect(m.lines).toContain("nic1: NAT 10.0.3.15 (vagrant ssh)");
    for (const m of libvirt.nodes.filter((n) => n.kind === "machine")) expect(m.lines.join(" ")).toMatch(/vagrant-libvirt mgmt/);
  });
});

test("an extra NAT is drawn on the block VirtualBox gives its adapter (10.0.(N+1).0/24), as the renderer and the twin use", () => {
  for (const provider of ["virtualbox", "libvirt"] as const) {
    const { lab } = checkConfig({
      name: "lab",
      provider,
      box: "b",
      networks: { mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" } },
      machines: [{ name: "m1", nics: [{ network: "mgmt", ip: "192.168.56.10" }, { mode: "nat" }, { mode: "nat", cidr: "10.0.9.0/24" }] }],
    });
    const nats = topologyOf(lab).nodes.filter((n) => n.kind === "nat").map((n) => n.lines[1]);
    expect(nats).toEqual(["10.0.4.0/24", "10.0.9.0/24"]); // adapter 3: VirtualBox's instance 2, so 10.0.(2+2).0/24
  }
});

test("the drawing follows the provider's reach table: libvirt's NAT networks join the host, macvtap does not", () => {
  const config = {
    name: "lab",
    box: "b",
    networks: { ext: { mode: "natnetwork" as const, cidr: "10.0.5.0/24" }, lan: { mode: "bridged" as const, bridge: "eth0" } },
    machines: [{ name: "m1", nics: [{ network: "ext" }, { network: "lan" }] }],
  };
  const vbox = topologyOf(checkConfig({ ...config, provider: "virtualbox" }).lab);
  const libvirt = topologyOf(checkConfig({ ...config, provider: "libvirt" }).lab);
  expect(neighbours(vbox, "ext")).not.toContain("host");
  expect(neighbours(libvirt, "ext")).toContain("host");
  expect(neighbours(vbox, "eth0")).toContain("host");
  expect(neighbours(libvirt, "eth0")).not.toContain("host");
  expect(libvirt.nodes.find((n) => n.lines[0] === "ext")!.lines).toContain("NAT network");
});

describe("config strings in drawings stay text", () => {
  const hostile = ['a"b', "back\\slash", "#{`rm -rf /`}", "<script>x</script>", "line\nbreak", "é ü 💥", "]; B((x))", "\\N\\G"];
  const topology: Topology = {
    title: 'lab "x"',
    nodes: hostile.map((text, i) => ({ id: `n${i}`, kind: "machine", lines: [text] })),
    edges: hostile.slice(1).map((text, i) => ({ from: `n${i}`, to: `n${i + 1}`, label: text, dashed: false })),
  };

  test("Mermaid: only safe characters and #codes; inside labels", () => {
    const text = drawMermaid(topology);
    for (const line of text.split("\n").slice(1)) {
      const quoted = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      for (const q of quoted) expect(q).toMatch(/^[A-Za-z0-9 .,:/()_+=@#;<>br-]*$/);
    }
    expect(text).toContain("a#34;b");
    expect(text).not.toContain("<script>");
  });

  test("DOT via Graphviz: the SVG shows each string exactly (newlines as spaces)", async () => {
    const svg = await drawSvg(topology);
    const texts = svgTexts(svg);
    for (const value of hostile) expect(texts).toContain(value.replace(/\n/g, " "));
    expect(drawDot(topology)).toContain('label="a\\"b"');
  });
});

test("a lab with a hostile bridge device draws without breaking out", async () => {
  const { lab } = checkConfig({
    name: "lab",
    box: "debian/bookworm64",
    networks: { lan: { mode: "bridged", bridge: 'eth0"];x' } },
    machines: [{ name: "m1", nics: [{ network: "lan" }] }],
  });
  const texts = svgTexts(await drawSvg(topologyOf(lab)));
  expect(texts).toContain('eth0"];x');
});
