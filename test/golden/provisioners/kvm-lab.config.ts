// Every provisioning step type with every field, the lab's /etc/hosts block, and the NIC
// settings the guest is told about (autoConfig, mtu, defaultRoute), for both providers.
// The files the steps name are beside this config: Vagrant's validate checks shell paths
// and file sources.
import { defineLab } from "kvm-lab";

export default defineLab({
  name: "prov",
  box: "debian/bookworm64",
  syncedFolder: true,
  networks: {
    "lab-net": { mode: "hostonly", cidr: "192.168.56.0/24" },
    storage: { mode: "intnet", cidr: "10.20.0.0/24" },
    lan: { mode: "bridged", bridge: "eth0" },
  },
  etcHosts: { network: "lab-net" },
  machines: [
    {
      name: "ctl",
      hostname: "ctl.lab.example",
      nics: [
        { network: "lab-net", ip: "192.168.56.10" },
        { network: "storage", ip: "10.20.0.10", mtu: 9000 },
        { network: "lan", defaultRoute: true },
      ],
      provision: [
        "apt-get update",
        {
          type: "shell",
          name: "setup",
          path: "scripts/setup.sh",
          args: ["--role", "control plane", "it's \"quoted\""],
          env: { LAB_ROLE: "control", GREETING: "#{not ruby} $HOME" },
          privileged: false,
          run: "always",
        },
        { type: "file", name: "motd", source: "files/motd", destination: "/tmp/motd", run: "never" },
        { type: "reboot", name: "reboot after setup" },
        {
          type: "ansible",
          name: "site",
          playbook: "ansible/site.yml",
          extraVars: { cluster: "prov", replicas: 3, debug: false, ports: [80, 443], tls: { enabled: true, "cert-file": "/etc/ssl/x.pem" } },
          groups: { control: ["ctl"], "workers:children": ["worker"] },
          limit: "all",
          verbose: "vv",
        },
      ],
    },
    {
      name: "worker{n}",
      count: 2,
      nics: [
        { network: "lab-net", ip: "192.168.56.21" },
        { network: "storage", ip: "10.20.0.21", mtu: 9000 },
        { network: "lan", autoConfig: false },
      ],
      provision: [
        {
          type: "ansible_local",
          name: "local",
          playbook: "ansible/site.yml",
          provisioningPath: "/vagrant",
          install: true,
          extraVars: { role: "worker" },
          limit: "worker*",
          verbose: "v",
          run: "always",
        },
      ],
    },
  ],
});
