import { dhcpLayoutOf, formatIpv4, netmaskOf, overlaps, parseCidr, parseIpv4, within, cidr } from "../../../src/net/ipv4.js";

test("parses dotted quads and rejects everything else", () => {
  expect(parseIpv4("192.168.56.10")).toBe(0xc0a8380a);
  for (const bad of ["192.168.56.300", "192.168.56", "1.2.3.4.5", "01.2.3.4", "a.b.c.d", " 1.2.3.4", ""]) {
    expect(parseIpv4(bad)).toBeUndefined();
  }
  expect(formatIpv4(0xc0a8380a)).toBe("192.168.56.10");
});

test("CIDR blocks: form, size and host bits", () => {
  expect(parseCidr("10.0.5.0/24")).toMatchObject({ ok: true, cidr: { text: "10.0.5.0/24", prefix: 24 } });
  expect(parseCidr("10.0.5.0")).toMatchObject({ ok: false, reason: "10.0.5.0 is not in CIDR form (for example 192.168.56.0/24)" });
  expect(parseCidr("10.0.5.0/31")).toMatchObject({ ok: false });
  expect(parseCidr("10.0.5.7/24")).toMatchObject({ ok: false, reason: "10.0.5.7/24 has host bits set (did you mean 10.0.5.0/24?)" });
  expect(netmaskOf(cidr("10.0.0.0/22"))).toBe("255.255.252.0");
});

test("overlap and containment", () => {
  expect(overlaps(cidr("10.0.0.0/16"), cidr("10.0.2.0/24"))).toBe(true);
  expect(overlaps(cidr("10.0.3.0/24"), cidr("10.0.2.0/24"))).toBe(false);
  expect(within(cidr("192.168.63.0/24"), cidr("192.168.56.0/21"))).toBe(true);
  expect(within(cidr("192.168.64.0/24"), cidr("192.168.56.0/21"))).toBe(false);
  expect(within(cidr("192.168.0.0/16"), cidr("192.168.56.0/21"))).toBe(false);
});

test("DHCP layout: server on .2, leases in the upper half", () => {
  expect(dhcpLayoutOf(cidr("192.168.56.0/24"))).toEqual({ server: "192.168.56.2", lower: "192.168.56.128", upper: "192.168.56.254" });
  expect(dhcpLayoutOf(cidr("10.1.0.0/23"))).toEqual({ server: "10.1.0.2", lower: "10.1.1.0", upper: "10.1.1.254" });
});
