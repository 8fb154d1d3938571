// The smallest box Vagrant can boot and SSH into, for fast tests.
import { defineRecipe } from "kvm-lab";

export default defineRecipe({
  name: "debian-12-minimal",
  description: "Debian 12 (bookworm), minbase: kernel, systemd, sshd, sudo; nothing else",
  version: "1.0.0",
  suite: "bookworm",
  packages: [],
  diskGiB: 8,
});
