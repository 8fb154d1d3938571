# Drives the twin through Vagrant's own VirtualBox driver (the Debian vagrant's
# plugins/providers/virtualbox/driver), no VM booted: import an appliance, set adapters and
# forwards, read them back with Vagrant's parsers, take, list, restore and delete disk
# snapshots, and delete the VM. Prints one JSON object of what Vagrant read.
# Usage: ruby driver-probe.rb BOX.ovf   (the twin's bin/ first on PATH)
require "json"
require "vagrant"
require Vagrant.source_root.join("plugins/providers/virtualbox/driver/meta").to_s

ovf = ARGV.fetch(0)
meta = VagrantPlugins::ProviderVirtualBox::Driver::Meta.new
out = { version: meta.version }
uuid = meta.import(ovf)
out[:imported] = !uuid.nil?
driver = VagrantPlugins::ProviderVirtualBox::Driver::Meta.new(uuid)
out[:vms] = driver.read_vms.values
out[:state] = driver.read_state
out[:machine_folder] = driver.read_machine_folder
driver.set_name("probe_default_1_2")
driver.set_mac_address("080027C0FFEE")
driver.enable_adapters([
  { adapter: 2, type: :intnet, intnet: "probe-net", mac_address: "080027000002", nic_type: "virtio" },
  { adapter: 3, type: :null },
])
driver.forward_ports([{ name: "ssh", protocol: "tcp", hostip: "127.0.0.1", hostport: 2222, guestport: 22, adapter: 1 }])
out[:forwarded] = driver.read_forwarded_ports
out[:ssh_port] = driver.ssh_port(22)
out[:nics] = driver.read_network_interfaces
out[:mac] = driver.read_mac_address
out[:macs] = driver.read_mac_addresses
driver.clear_forwarded_ports
out[:forwarded_after_clear] = driver.read_forwarded_ports
out[:snapshots_none] = driver.list_snapshots(uuid)
driver.create_snapshot(uuid, "clean")
driver.create_snapshot(uuid, "second")
out[:snapshots] = driver.list_snapshots(uuid)
driver.restore_snapshot(uuid, "clean")
driver.delete_snapshot(uuid, "second")
out[:snapshots_after_delete] = driver.list_snapshots(uuid)
out[:storage] = driver.read_storage_controllers.map { |c| { name: c.name, type: c.type, attachments: c.attachments.map { |a| a[:location] } } }
out[:vm_exists] = driver.vm_exists?(uuid)
driver.delete
out[:vm_exists_after_delete] = driver.vm_exists?(uuid)
out[:vms_after_delete] = driver.read_vms.values
puts JSON.generate(out)
