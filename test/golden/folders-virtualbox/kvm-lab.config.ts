// VirtualBox's own shared folders, with owner, group and mount options.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "folders-virtualbox",
  provider: "virtualbox",
  box: "debian/bookworm64",
  syncedFolders: [{ host: "data", guest: "/srv/data", type: "virtualbox", create: true, owner: "vagrant", group: "vagrant", mountOptions: ["dmode=775", "fmode=664"] }],
  machines: [{ name: "node1" }],
});
