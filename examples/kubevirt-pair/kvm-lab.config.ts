// Two Kubernetes nodes running KubeVirt: VMs inside pods inside VMs, so both nodes need
// nested virtualization. An Ansible playbook shipped in ./ansible is shared with each node
// (synced folder) and run inside it (ansible_local): no Ansible on the host.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "kubevirt",
  provider: "libvirt",
  // Ubuntu 22.04, not kvm-lab/debian-13-kvm: KubeVirt runs its own QEMU and libvirt in its
  // pods, so a node needs /dev/kvm but not the KVM stack that box adds (its libvirtd and
  // virbr0 would only sit beside k3s's networking), and k3s's installer needs curl, which
  // kvm-lab's boxes do not have.
  box: "generic/ubuntu2204",
  defaults: {
    cpus: 4,
    memory: 8192,
    nested: true,
    libvirt: { cpuMode: "host-passthrough", rng: true },
    virtualbox: { box: "bento/ubuntu-22.04" },
  },
  networks: {
    cluster: { mode: "hostonly", cidr: "192.168.56.0/24" },
  },
  // Only the playbook folder is shared, not the whole project.
  syncedFolder: false,
  syncedFolders: [{ host: "ansible", guest: "/srv/ansible", type: "rsync", rsyncExclude: [".git/", "*.retry"] }],
  etcHosts: { network: "cluster" },
  machines: [
    {
      name: "kube1",
      primary: true,
      nics: [{ network: "cluster", ip: "192.168.56.41" }],
      // The API server, for kubectl on the host.
      forwards: [{ guest: 6443, host: 6443 }],
      provision: [kubevirtPlaybook()],
    },
    {
      name: "kube2",
      // It joins the cluster kube1 creates.
      upAfter: ["kube1"],
      nics: [{ network: "cluster", ip: "192.168.56.42" }],
      provision: [kubevirtPlaybook()],
    },
  ],
});

/** The playbook run inside each node; the inventory groups say which node is the control plane. */
function kubevirtPlaybook() {
  return {
    type: "ansible_local" as const,
    name: "kubevirt",
    playbook: "site.yml",
    provisioningPath: "/srv/ansible",
    install: true,
    groups: { control: ["kube1"], workers: ["kube2"] },
    // A lab's shared secret: the worker joins with the token the server was given.
    extraVars: { control_address: "192.168.56.41", k3s_token: "kvm-lab-example", kubevirt_version: "v1.3.1", pod_cidr: "10.244.0.0/16" },
  };
}
