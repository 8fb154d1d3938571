// The shell scripts that make and inspect the VXLAN tunnels, run for real: two network
// namespaces made here stand for two hosts, a veth pair for their LAN (198.51.100.0/24, a
// documentation block), a bridge in each for a spanning network's bridge, its MAC fixed as
// libvirt fixes its bridges' (else a port added later could change it). Nothing leaves them.
import { execa } from "execa";
import { tunnelScript } from "../../../src/fabric/apply.js";
import { healthScript } from "../../../src/fabric/health.js";

const root = process.getuid?.() === 0;
const NS = [`kvmlab-vxa-${process.pid}`, `kvmlab-vxb-${process.pid}`];
const ADDR = ["198.51.100.1", "198.51.100.2"];
const inNs = (i: number, args: string[], input?: string) => execa("ip", ["netns", "exec", NS[i], ...args], { input, reject: false });
const tunnel = (i: number) => ({ device: "kvx-unit0001", vni: 4242, local: ADDR[i], bridge: "kvb-unit0001", mtu: 1450, peers: [ADDR[1 - i]] });
const ping = (i: number, args: string[] = []) => inNs(i, ["ping", "-c", "1", "-W", "2", ...args, `10.99.0.${2 - i}`]);

const maybe = root ? describe : describe.skip;
if (!root) process.stderr.write("tunnel-scripts: not root, network namespaces cannot be made: skipped\n");

maybe("VXLAN tunnel scripts between two namespaces", () => {
  beforeAll(async () => {
    for (const ns of NS) await execa("ip", ["netns", "add", ns]);
    await execa("ip", ["link", "add", "vxa0", "netns", NS[0], "type", "veth", "peer", "name", "vxb0", "netns", NS[1]]);
    for (const i of [0, 1]) {
      const lan = i === 0 ? "vxa0" : "vxb0";
      for (const cmd of [["ip", "link", "set", "lo", "up"], ["ip", "addr", "add", `${ADDR[i]}/24`, "dev", lan], ["ip", "link", "set", lan, "up"], ["ip", "link", "add", "kvb-unit0001", "type", "bridge"], ["ip", "link", "set", "kvb-unit0001", "address", `02:00:00:00:00:0${i + 1}`], ["ip", "addr", "add", `10.99.0.${i + 1}/24`, "dev", "kvb-unit0001"], ["ip", "link", "set", "kvb-unit0001", "up"]]) {
        await execa("ip", ["netns", "exec", NS[i], ...cmd]);
      }
    }
  });
  afterAll(async () => {
    for (const ns of NS) await execa("ip", ["netns", "del", ns], { reject: false });
  });

  test("the tunnel joins the bridges, carries 1450-byte frames and not more, and a second run changes nothing", async () => {
    for (const i of [0, 1]) expect((await inNs(i, ["sh", "-s"], tunnelScript([tunnel(i)]))).exitCode).toBe(0);
    expect((await ping(0)).exitCode).toBe(0);
    // 1450 = 1422 bytes of ICMP payload + 28 of headers, with Don't Fragment.
    expect((await ping(0, ["-M", "do", "-s", "1422"])).exitCode).toBe(0);
    expect((await ping(0, ["-M", "do", "-s", "1423"])).exitCode).not.toBe(0);
    const again = await inNs(0, ["sh", "-s"], tunnelScript([tunnel(0)]));
    expect(again.exitCode).toBe(0);
    const fdb = (await inNs(0, ["bridge", "fdb", "show", "dev", "kvx-unit0001"])).stdout;
    expect(fdb.split("\n").filter((l) => l.startsWith("00:00:00:00:00:00 dst 198.51.100.2 "))).toHaveLength(1);
    const link = (await inNs(0, ["ip", "-d", "-o", "link", "show", "dev", "kvx-unit0001"])).stdout;
    expect(link).toMatch(/vxlan id 4242 local 198\.51\.100\.1 .*dstport 4789/);
  });

  test("a device made with another VNI is made again", async () => {
    await inNs(1, ["ip", "link", "del", "dev", "kvx-unit0001"]);
    await inNs(1, ["ip", "link", "add", "kvx-unit0001", "type", "vxlan", "id", "7", "local", ADDR[1], "dstport", "4789"]);
    expect((await ping(0)).exitCode).not.toBe(0);
    expect((await inNs(1, ["sh", "-s"], tunnelScript([tunnel(1)]))).exitCode).toBe(0);
    expect((await ping(0)).exitCode).toBe(0);
  });

  test("the health script reports a whole tunnel, then the device down, then no flooding entry, then the LAN cut", async () => {
    const health = async (i: number) => (await inNs(i, ["sh", "-s"], healthScript([{ device: "kvx-unit0001", peers: [ADDR[1 - i]] }], [ADDR[1 - i]]))).stdout.trim().split("\n");
    expect(await health(0)).toEqual(["dev kvx-unit0001 up kvb-unit0001", "fdb kvx-unit0001 198.51.100.2 yes", "ping 198.51.100.2 ok"]);
    await inNs(1, ["ip", "link", "set", "kvx-unit0001", "down"]);
    expect((await health(1))[0]).toBe("dev kvx-unit0001 down kvb-unit0001");
    await inNs(1, ["ip", "link", "set", "kvx-unit0001", "up"]);
    await inNs(1, ["bridge", "fdb", "del", "00:00:00:00:00:00", "dev", "kvx-unit0001", "dst", ADDR[0]]);
    expect((await health(1))[1]).toBe("fdb kvx-unit0001 198.51.100.1 no");
    await inNs(0, ["ip", "link", "set", "vxa0", "down"]);
    expect((await health(0))[2]).toBe("ping 198.51.100.2 fail");
    await inNs(0, ["ip", "link", "set", "vxa0", "up"]);
    await inNs(1, ["ip", "link", "del", "dev", "kvx-unit0001"]);
    expect(await health(1)).toContain("dev kvx-unit0001 missing");
  });
});
