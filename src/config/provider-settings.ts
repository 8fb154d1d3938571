// The setting names of the providers' blocks, read from upstream, for the escape hatch
// (`libvirt.options`, `virtualbox.options`, `virtualbox.customize`): a key outside them is
// warned about by name, and a key kvm-lab writes itself from a typed field is an error
// naming that field.
import type { NicType } from "./types.js";

/** QEMU's NIC models for VirtualBox's card types (libvirt's `<model type>`). */
export const MODEL_OF: Record<NicType, string> = {
  Am79C970A: "pcnet",
  Am79C973: "pcnet",
  "82540EM": "e1000",
  "82543GC": "e1000",
  "82545EM": "e1000",
  virtio: "virtio",
};

/**
 * Every `libvirt.<key> =` of vagrant-libvirt 0.11.2: the attr_accessor list of
 * VagrantPlugins::ProviderLibvirt::Config (lib/vagrant-libvirt/config.rb).
 */
export const VAGRANT_LIBVIRT_SETTINGS = `uri driver host port connect_via_ssh socket username password id_ssh_key_file
  proxy_command forward_ssh_port storage_pool_name storage_pool_path snapshot_pool_name random_hostname
  management_network_device management_network_name management_network_address management_network_mode
  management_network_mac management_network_guest_ipv6 management_network_autostart management_network_pci_bus
  management_network_pci_slot management_network_domain management_network_mtu management_network_keep
  management_network_driver_iommu system_uri default_prefix title description uuid memory nodeset memory_backing
  memtunes channel cpus cpuset cpu_mode cpu_model cpu_fallback cpu_features cpu_topology cpu_affinity shares
  features features_hyperv clock_offset clock_timers launchsecurity_data numa_nodes loader nvram boot_order
  machine_type machine_arch machine_virtual_size disk_bus disk_device disk_address_type disk_controller_model
  disk_driver_opts nic_model_type nested volume_cache kernel cmd_line initrd dtb emulator_path graphics_type
  graphics_autoport graphics_port graphics_websocket graphics_passwd graphics_ip graphics_gl video_type video_vram
  video_accel3d keymap kvm_hidden sound_type tpm_model tpm_type tpm_path tpm_version sysinfo memballoon_enabled
  memballoon_model memballoon_pci_bus memballoon_pci_slot nic_adapter_count disks cdroms floppies inputs channels
  pcis rng watchdog_dev usbctl_dev usbs redirdevs redirfilters smartcard_dev suspend_mode autostart mgmt_attach
  qemu_args qemu_env qemu_use_session qemu_use_agent serials host_device_exclude_prefixes`.split(/\s+/);

/**
 * Accessors of vagrant-libvirt 0.11.2's Config that are no `libvirt.<key> = value` setting:
 * each is filled by a method call (config.rb: `storage :file, size: ...` pushes onto `disks`)
 * and read back as hashes with symbol keys (`disk[:size]`, templates/domain.xml.erb), which
 * the escape hatch cannot write (its hashes have string keys); `channel`'s reader is the
 * `channel` method and nothing reads what `channel =` stores; numa_nodes is set with `=`
 * but read as `node[:cpus]` (config.rb _generate_numa). The key, then how upstream fills it.
 */
export const LIBVIRT_NOT_SETTINGS: Record<string, string> = {
  disks: "the storage method",
  cdroms: "the storage method (device: :cdrom)",
  floppies: "the storage method (device: :floppy)",
  cpu_features: "the cpu_feature method",
  features_hyperv: "the hyperv_feature method",
  clock_timers: "the clock_timer method",
  cpu_topology: "the cputopology method",
  memory_backing: "the memorybacking method",
  memtunes: "the memtune method",
  launchsecurity_data: "the launchsecurity method",
  inputs: "the input method",
  channel: "the channel method",
  channels: "the channel method",
  rng: "the random method",
  pcis: "the pci method",
  watchdog_dev: "the watchdog method",
  usbctl_dev: "the usb_controller method",
  usbs: "the usb method",
  redirdevs: "the redirdev method",
  redirfilters: "the redirfilter method",
  smartcard_dev: "the smartcard method",
  qemu_args: "the qemuargs method",
  serials: "the serial method",
  disk_driver_opts: "the disk_driver method",
  numa_nodes: "hashes with symbol keys (:cpus, :memory)",
};

/**
 * Every `vb.<key> =` of Vagrant 2.3.4's VirtualBox provider: the attr_accessors of
 * VagrantPlugins::ProviderVirtualBox::Config (plugins/providers/virtualbox/config.rb) and
 * its two setters, `memory=` and `cpus=` (`customizations` and `network_adapters` are
 * readers only; `customize` and `network_adapter` are methods, not settings).
 */
export const VIRTUALBOX_SETTINGS = [
  "auto_nat_dns_proxy",
  "check_guest_additions",
  "default_nic_type",
  "destroy_unused_network_interfaces",
  "gui",
  "linked_clone",
  "linked_clone_snapshot",
  "name",
  "functional_vboxsf",
  "memory",
  "cpus",
];

/** The libvirt settings kvm-lab writes from typed fields: the key, then the field that sets it. */
export const LIBVIRT_TYPED: Record<string, string> = {
  driver: "accel",
  cpus: "cpus",
  memory: "memory",
  nested: "nested",
  cpu_mode: "libvirt.cpuMode",
  cpu_model: "libvirt.cpuModel",
  cpu_features: "libvirt.cpuFeatures",
  disk_bus: "libvirt.diskBus",
  disk_driver_opts: "libvirt.diskCache",
  // config.rb: "volume_cache # deprecated, kept for backwards compatibility; use disk_driver"
  volume_cache: "libvirt.diskCache",
  nic_model_type: "libvirt.managementNicModel",
  graphics_type: "libvirt.graphics",
  keymap: "libvirt.keymap",
  rng: "libvirt.rng",
  machine_virtual_size: "diskSizeGiB",
  disks: "disks",
  management_network_address: "the lab's libvirt.managementNetwork",
};

/** The VirtualBox settings kvm-lab writes from typed fields. */
export const VIRTUALBOX_TYPED: Record<string, string> = {
  name: "virtualbox.name",
  linked_clone: "virtualbox.linkedClone",
  cpus: "cpus",
  memory: "memory",
};

/**
 * The VBoxManage commands `virtualbox.customize` may run on the VM before it boots, and
 * where each takes the VM: right after the command, or after its subcommand (which must
 * be one of `subcommands`). From VirtualBox's VBoxManage sources:
 * modifyvm <vm> (VBoxManageModifyVM.cpp handleModifyVM), storagectl <vm> and
 * storageattach <vm> (VBoxManageStorageController.cpp handleStorageController,
 * handleStorageAttach), setextradata <vm> (VBoxManageMisc.cpp handleSetExtraData),
 * bandwidthctl <vm> (VBoxManageBandwidthControl.cpp handleBandwidthControl: argv[0]),
 * modifynvram <vm> (VirtualBox 7: VBoxManageModifyNvram.cpp handleModifyNvram),
 * guestproperty set|unset|delete <vm> (VBoxManageGuestProp.cpp handleGuestProperty) and
 * sharedfolder add|remove <vm> (VBoxManageMisc.cpp handleSharedFolder). Others (controlvm
 * needs a running VM, usbfilter takes --target) are refused.
 */
export const CUSTOMIZE_COMMANDS: Record<string, { subcommands?: readonly string[] }> = {
  modifyvm: {},
  storagectl: {},
  storageattach: {},
  setextradata: {},
  bandwidthctl: {},
  modifynvram: {},
  guestproperty: { subcommands: ["set", "unset", "delete"] },
  sharedfolder: { subcommands: ["add", "remove"] },
};

/** modifyvm options kvm-lab sets from typed fields (VBoxManageModifyVM.cpp g_aModifyVMOptions spellings), then the field. */
export const MODIFYVM_TYPED: Record<string, string> = {
  "--cpus": "cpus",
  "--memory": "memory",
  "--name": "virtualbox.name",
  "--cpu-profile": "virtualbox.cpuProfile",
  "--nested-hw-virt": "nested",
};

/** A key the escape hatch can print as `<block>.<key> = value`: a Ruby method name. */
export const SETTING_KEY = /^[a-z_][a-z0-9_]*$/;

/** QEMU's keymaps (QEMU 7.2 pc-bios/keymaps, installed as /usr/share/qemu/keymaps), the values libvirt's `keymap` takes. */
export const QEMU_KEYMAPS = `ar bepo cz da de de-ch en-gb en-us es et fi fo fr fr-be fr-ca fr-ch hr hu is it ja lt lv mk nl
  no pl pt pt-br ru sl sv th tr`.split(/\s+/);

/** Blank disks one machine can have on libvirt: vagrant-libvirt names them vdb..vdz (util/resolvers.rb next_device stops at z). */
export const LIBVIRT_MAX_EXTRA_DISKS = 25;
