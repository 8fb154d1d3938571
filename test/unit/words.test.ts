// Articles in messages built around a value: "an intnet network", "a NAT", "an IP".
import { articleFor, withArticle } from "../../src/words.js";
import { NETWORK_MODES } from "../../src/net/modes.js";

test("every network mode takes the article it is said with", () => {
  expect(Object.fromEntries(NETWORK_MODES.map((mode) => [mode, withArticle(mode)]))).toEqual({
    nat: "a nat",
    natnetwork: "a natnetwork",
    bridged: "a bridged",
    intnet: "an intnet",
    hostonly: "a hostonly",
    hostonlynet: "a hostonlynet",
    null: "a null",
    generic: "a generic",
  });
});

test("acronyms by sound, and the usual exceptions", () => {
  expect(["NAT", "NIC", "IP", "SSH", "HTTP", "VM", "MAC", "unique", "hour", "e1000", "82540EM", "internal", "UDPTunnel"].map(articleFor)).toEqual([
    "a", "a", "an", "an", "an", "a", "a", "a", "an", "an", "an", "an", "a",
  ]);
});
