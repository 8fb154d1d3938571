// After all tests, pass or fail: stop the libvirtd the setup started, and its namespace.
import { stopLibvirtd } from "./libvirtd.mjs";

export default async function globalTeardown() {
  stopLibvirtd();
}
