// The providers' own addresses, written once: VirtualBox's NAT blocks per adapter (the manual's
// "instance of the NAT interface +2"), and every place that draws, plans or plays them agrees.
import { checkConfig } from "../../../src/config/load.js";
import { DEFAULTS } from "../../../src/config/defaults.js";
import { planLab } from "../../../src/net/plan.js";
import {
  LIBVIRT_DEFAULT_NETWORK,
  VAGRANT_LIBVIRT_MANAGEMENT,
  VBOX_NAT_ADAPTER1,
  natBlockOf,
  vboxNatDefaultBlock,
  vboxNatGuestAddress,
  vboxNatHostAddress,
} from "../../../src/net/provider-addresses.js";
// @ts-expect-error: the twin is plain JavaScript without types
import { netdevArg } from "../../support/vbox-twin/qemu.mjs";

test("VirtualBox NAT: adapter N (instance N-1) is 10.0.(N+1).0/24, guest .15, host .2", () => {
  expect(vboxNatDefaultBlock(1)).toEqual(VBOX_NAT_ADAPTER1);
  expect([2, 3, 8].map((slot) => vboxNatDefaultBlock(slot).text)).toEqual(["10.0.3.0/24", "10.0.4.0/24", "10.0.9.0/24"]);
  expect(vboxNatGuestAddress(VBOX_NAT_ADAPTER1)).toBe("10.0.2.15");
  expect(vboxNatHostAddress(VBOX_NAT_ADAPTER1)).toBe("10.0.2.2");
  expect(() => vboxNatDefaultBlock(0)).toThrow();
});

test("the config's defaults are the providers' own", () => {
  expect(DEFAULTS.vagrantNat).toBe(VBOX_NAT_ADAPTER1);
  expect(DEFAULTS.managementNetwork).toBe(VAGRANT_LIBVIRT_MANAGEMENT);
  expect(DEFAULTS.libvirtDefaultNetwork).toBe(LIBVIRT_DEFAULT_NETWORK);
});

test("an extra NAT without a cidr: plan and the VBoxManage twin use the same block", () => {
  const { lab } = checkConfig({ name: "lab", box: "b", machines: [{ name: "m1", nics: [{ mode: "null" }, { mode: "nat" }] }] });
  const nic = lab.machines[0].nics[1];
  expect(natBlockOf(nic).text).toBe("10.0.4.0/24");
  expect(planLab(lab)[0].adapters[2]).toMatchObject({ slot: 3, attachedTo: "10.0.4.0/24" });
  const netdev: string = netdevArg({ type: "nat", natpf: [] }, 3, { tap: undefined });
  expect(netdev).toContain("net=10.0.4.0/24");
  expect(netdev).toContain("host=10.0.4.2");
  expect(netdev).toContain("dhcpstart=10.0.4.15");
});

test("plan's adapter 1 follows virtualbox.natCidr", () => {
  const { lab } = checkConfig({ name: "lab", box: "b", virtualbox: { natCidr: "10.0.30.0/24" }, machines: [{ name: "m1" }] });
  expect(planLab(lab)[0].adapters[0]).toMatchObject({ attachedTo: "10.0.30.0/24", ip: "10.0.30.15" });
});
