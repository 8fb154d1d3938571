// The smallest box Vagrant can boot and SSH into, for fast tests: Debian 13.
import { defineRecipe } from "kvm-lab";

export default defineRecipe({
  name: "debian-13-minimal",
  description: "Debian 13 (trixie), minbase: kernel, systemd, sshd, sudo; nothing else",
  version: "1.0.0",
  suite: "trixie",
  packages: [],
  diskGiB: 8,
});
