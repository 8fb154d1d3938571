// Before all tests: libvirtd (for `vagrant validate` of libvirt Vagrantfiles).
import { startLibvirtd } from "./libvirtd.mjs";

export default async function globalSetup() {
  const { reason } = startLibvirtd();
  process.stderr.write(`\nlibvirtd for tests: ${reason}\n`);
}
