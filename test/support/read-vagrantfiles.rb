# Evaluates rendered Vagrantfiles against a recording stand-in for Vagrant and prints, as
# JSON, every string value each file passes to Vagrant: the tests compare them with the
# config values that went in. A file Ruby cannot parse reports its syntax error.
# With KVM_LAB_RUN_TRIGGERS=1 the `trigger.ruby` blocks run too, with a machine whose
# provider driver runs whatever VBoxManage is first on PATH. The stand-in Vagrant reports
# VirtualBox $KVM_LAB_VBOX_VERSION (default 7.0.20) on host $KVM_LAB_HOST (default linux).
require "json"
require "open3"

class KvmLabRecorder
  def initialize(log)
    @log = log
  end

  def method_missing(name, *args, **options, &block)
    collect(args)
    collect(options.values)
    # Run configuration blocks (define, provider, trigger); trigger actions only when asked.
    if block && name == :ruby
      block.call(nil, StandInMachine.new) if ENV["KVM_LAB_RUN_TRIGGERS"] == "1"
    elsif block
      block.call(*Array.new([block.arity, 0].max) { KvmLabRecorder.new(@log) })
    end
    KvmLabRecorder.new(@log)
  end

  def respond_to_missing?(*)
    true
  end

  private

  def collect(values)
    values.each do |value|
      case value
      when Array then collect(value)
      when Hash then collect(value.keys + value.values)
      when String then @log << value
      end
    end
  end
end

module Vagrant
  # The stand-in plays Vagrant $KVM_LAB_VAGRANT_VERSION (default Debian's 2.3.4).
  VERSION = ENV.fetch("KVM_LAB_VAGRANT_VERSION", "2.3.4")

  def self.configure(_version)
    yield KvmLabRecorder.new(Thread.current[:kvm_lab_log])
  end

  module Errors
    class VagrantError < StandardError
      attr_reader :extra_data

      def initialize(extra_data = {})
        @extra_data = extra_data
        super(error_message)
      end

      def error_message
        "No error message"
      end
    end

    class VBoxManageError < VagrantError
      def error_message
        "There was an error while executing `VBoxManage`.\n\nCommand: #{extra_data[:command]}\n\nStderr: #{extra_data[:stderr]}"
      end
    end
  end

  module Util
    # lib/vagrant/util/experimental.rb: features from VAGRANT_EXPERIMENTAL ("1": all).
    module Experimental
      def self.feature_enabled?(feature)
        requested = ENV["VAGRANT_EXPERIMENTAL"].to_s.downcase.split(",")
        requested == ["1"] || requested.include?(feature.to_s)
      end
    end

    module Platform
      def self.darwin?
        ENV.fetch("KVM_LAB_HOST", "linux") == "darwin"
      end
    end
  end
end

module VagrantPlugins
  module ProviderVirtualBox
    module Driver
      class Meta
        def version
          ENV.fetch("KVM_LAB_VBOX_VERSION", "7.0.20")
        end
      end
    end
  end
end

# A machine whose VirtualBox driver runs VBoxManage from PATH, raising as Vagrant's does.
class StandInMachine
  Driver = Struct.new(:none) do
    def execute_command(args)
      out, err, status = Open3.capture3("VBoxManage", *args)
      raise Vagrant::Errors::VBoxManageError.new(command: args.inspect, stderr: err) unless status.success?
      out
    end
  end

  def provider
    Struct.new(:driver).new(Driver.new)
  end
end

results = {}
ARGV.each do |file|
  log = Thread.current[:kvm_lab_log] = []
  begin
    Module.new.module_eval(File.read(file, encoding: "UTF-8"), file)
    results[file] = { "ok" => true, "strings" => log }
  rescue SyntaxError, StandardError => e
    results[file] = { "ok" => false, "error" => "#{e.class}: #{e.message}" }
  end
end
puts JSON.generate(results)
