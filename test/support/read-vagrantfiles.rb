# Evaluates rendered Vagrantfiles against a recording stand-in for Vagrant and prints, as
# JSON, every string value each file passes to Vagrant: the tests compare them with the
# config values that went in. A file Ruby cannot parse reports its syntax error.
# With KVM_LAB_RUN_TRIGGERS=1 the `trigger.ruby` blocks run too (against whatever
# VBoxManage is first on PATH).
require "json"

class KvmLabRecorder
  def initialize(log)
    @log = log
  end

  def method_missing(name, *args, **options, &block)
    collect(args)
    collect(options.values)
    # Run configuration blocks (define, provider, trigger); trigger actions only when asked.
    if block && name == :ruby
      block.call(nil, nil) if ENV["KVM_LAB_RUN_TRIGGERS"] == "1"
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
      when Hash then collect(value.values)
      when String then @log << value
      end
    end
  end
end

module Vagrant
  def self.configure(_version)
    yield KvmLabRecorder.new(Thread.current[:kvm_lab_log])
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
