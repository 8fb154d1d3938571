// libvirt's own synced folders: virtiofs (with the shared memory it needs) and 9p.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "folders-libvirt",
  provider: "libvirt",
  box: "generic/debian12",
  machines: [
    {
      name: "node1",
      syncedFolders: [
        { host: "code", guest: "/srv/code", type: "virtiofs", create: true, mountOptions: ["ro"] },
        { host: "data", guest: "/srv/data", type: "9p", create: true, accessMode: "mapped", mountOptions: ["cache=loose", "msize=262144"] },
      ],
    },
    { name: "node2", syncedFolders: [{ host: "data", guest: "/srv/data", type: "9p", create: true }] },
  ],
});
