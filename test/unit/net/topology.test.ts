// The topology graph and its drawings: what is connected to what for each mode, and config
// strings that stay text in Mermaid, DOT and the SVG Graphviz lays out from it.
import path from "node:path";
import { checkConfig, loadLab } from "../../../src/config/load.js";
import { topologyOf, type Topology } from "../../../src/net/topology.js";
import { drawMermaid, drawDot, drawSvg } from "../../../src/net/draw/index.js";
import { ROOT } from "../../support/tools.js";
import { svgTexts } from "../../support/project.js";
import { DEJAVU_SANS, loadFontWidths } from "../../support/font-metrics.js";
import type { LabConfig, MachineConfig } from "../../../src/config/types.js";

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
    const dot = drawDot(topology);
    expect(dot).toContain('label="lab \\"x\\""'); // a DOT string (the title)
    expect(dot).toContain("<TD>a&quot;b</TD>"); // an HTML-like label (a machine)
    expect(dot).toContain("<TD>&lt;script&gt;x&lt;/script&gt;</TD>");
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

/** The network-modes template with three machines per mode: 15 machines, interleaved by mode. */
function networkModesLab(): LabConfig {
  const machines: MachineConfig[] = [];
  for (let i = 1; i <= 3; i++) {
    machines.push(
      { name: `nat${i}`, nics: [{ mode: "nat", cidr: `10.0.${10 + i}.0/24` }], forwards: [{ guest: 80, host: 8079 + i }] },
      { name: `natnet${i}`, nics: [{ network: "natnet" }] },
      { name: `bridged${i}`, nics: [{ network: "lan" }] },
      { name: `internal${i}`, nics: [{ network: "internal", ip: `10.10.0.${10 + i}` }] },
      { name: `hostonly${i}`, nics: [{ network: "hostonly", ip: `192.168.56.${10 + i}` }] },
    );
  }
  return {
    name: "modes",
    box: "debian/bookworm64",
    networks: {
      natnet: { mode: "natnetwork", cidr: "10.0.5.0/24" },
      internal: { mode: "intnet", cidr: "10.10.0.0/24" },
      hostonly: { mode: "hostonly", cidr: "192.168.56.0/24" },
      lan: { mode: "bridged", bridge: "eth0" },
    },
    machines,
  };
}

/** The openstack template with four computes, on libvirt. */
function openstackLab(): LabConfig {
  const compute = (n: number): MachineConfig => ({
    name: `compute${n}`,
    nics: [{ network: "mgmt", ip: `192.168.56.3${n}` }, { network: "tenant", ip: `10.20.0.3${n}` }, { network: "provider" }],
  });
  return {
    name: "openstack",
    provider: "libvirt",
    box: "debian/bookworm64",
    networks: {
      mgmt: { mode: "hostonly", cidr: "192.168.56.0/24" },
      tenant: { mode: "intnet", cidr: "10.20.0.0/24" },
      external: { mode: "natnetwork", cidr: "10.0.5.0/24" },
      provider: { mode: "bridged", bridge: "eth0" },
    },
    machines: [
      { name: "controller", cpus: 4, memory: 8192, nics: [{ network: "mgmt", ip: "192.168.56.11" }] },
      { name: "network", nics: [{ network: "mgmt", ip: "192.168.56.21" }, { network: "tenant", ip: "10.20.0.21" }, { network: "external" }, { network: "provider" }] },
      ...[1, 2, 3, 4].map(compute),
    ],
  };
}

interface SvgNode {
  id: string;
  texts: { text: string; x: number; y: number; size: number; anchor: string }[];
  /** Left and right edge of the node's outline at height y. */
  extentAt(y: number): [number, number];
}

/** The nodes of a Graphviz SVG: their texts and the outline of their shape. */
function svgNodes(svg: string): SvgNode[] {
  return [...svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)].map(([, body]) => {
    const id = /<title>([^<]*)<\/title>/.exec(body)![1];
    const texts = [...body.matchAll(/<text [^>]*text-anchor="(\w+)" x="([-\d.]+)" y="([-\d.]+)"[^>]*font-size="([\d.]+)">([^<]*)<\/text>/g)].map((m) => ({
      anchor: m[1],
      x: Number(m[2]),
      y: Number(m[3]),
      size: Number(m[4]),
      text: svgTexts(`<text>${m[5]}</text>`)[0],
    }));
    const ellipse = /<ellipse [^>]*stroke-width="1.4" cx="([-\d.]+)" cy="([-\d.]+)" rx="([\d.]+)" ry="([\d.]+)"/.exec(body);
    if (ellipse) {
      const [cx, cy, rx, ry] = ellipse.slice(1).map(Number);
      return { id, texts, extentAt: (y: number) => { const dx = rx * Math.sqrt(Math.max(0, 1 - ((y - cy) / ry) ** 2)); return [cx - dx, cx + dx]; } };
    }
    const shape = /<(?:polygon|path) [^>]*stroke-width="1.4" (?:points|d)="([^"]+)"/.exec(body)![1];
    const points = [...shape.matchAll(/([-\d.]+),([-\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const extentAt = (y: number): [number, number] => {
      const xs: number[] = [];
      points.forEach(([x1, y1], i) => {
        const [x2, y2] = points[(i + 1) % points.length];
        if (y1 !== y2 && (y - y1) * (y - y2) <= 0) xs.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
      });
      return [Math.min(...xs), Math.max(...xs)];
    };
    return { id, texts, extentAt };
  });
}

describe.each([
  ["network-modes, 3 per mode", networkModesLab],
  ["openstack, 4 computes", openstackLab],
])("readable at 10+ machines: %s", (_, config) => {
  const { lab } = checkConfig(config());
  const topology = topologyOf(lab);
  const dot = drawDot(topology);
  let nodes: SvgNode[];
  beforeAll(async () => {
    nodes = svgNodes(await drawSvg(topology));
  });
  const machineIds = topology.nodes.filter((n) => n.kind === "machine").map((n) => n.id);

  test("machines are drawn in config order, one column, top to bottom", () => {
    expect(topology.nodes.filter((n) => n.kind === "machine").map((n) => n.lines[0])).toEqual(lab.machines.map((m) => m.name));
    expect(dot).toContain(`{ rank=same; ${machineIds.join("; ")}; }`);
    const tops = machineIds.map((id) => nodes.find((n) => n.id === id)!.texts[0]);
    expect(tops.map((t) => t.text)).toEqual(lab.machines.map((m) => m.name));
    for (let i = 1; i < tops.length; i++) expect(tops[i].y).toBeGreaterThan(tops[i - 1].y);
    const lefts = machineIds.map((id, i) => nodes.find((n) => n.id === id)!.extentAt(tops[i].y)[0]);
    expect(Math.max(...lefts) - Math.min(...lefts)).toBeLessThan(1);
  });

  test("every NIC label is a row of its machine's own box, and its edge leaves from that row", () => {
    for (const machine of topology.nodes.filter((n) => n.kind === "machine")) {
      const labelled = topology.edges.map((edge, index) => ({ edge, index })).filter(({ edge }) => edge.from === machine.id && edge.label);
      expect(labelled.length).toBeGreaterThan(0);
      const texts = nodes.find((n) => n.id === machine.id)!.texts.map((t) => t.text);
      for (const { edge, index } of labelled) {
        expect(texts).toContain(edge.label);
        expect(dot).toContain(`  ${machine.id}:p${index} -- ${edge.to}`);
      }
    }
    expect(dot).not.toMatch(/^ {2}n\d+(:p\d+)? -- n\d+ \[label=/m); // no label floats on an edge
  });

  test("every text fits inside its box in DejaVu Sans, Verdana's stand-in on Linux", () => {
    const font = loadFontWidths(DEJAVU_SANS);
    if (!font) {
      process.stderr.write(`skipped: ${DEJAVU_SANS} is not installed (apt-get install fonts-dejavu-core)\n`);
      return;
    }
    let checked = 0;
    for (const node of nodes) {
      for (const t of node.texts) {
        const width = font.measure(t.text, t.size);
        const left = t.anchor === "start" ? t.x : t.anchor === "end" ? t.x - width : t.x - width / 2;
        for (const y of [t.y, t.y - 0.73 * t.size]) {
          const [from, to] = node.extentAt(y);
          expect({ node: node.id, text: t.text, fits: left >= from - 0.5 && left + width <= to + 0.5 }).toEqual({ node: node.id, text: t.text, fits: true });
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});
