# frozen_string_literal: true

require 'spec_helper'
require 'open3'
require 'rbconfig'
require 'timeout'
require 'tmpdir'

# The .gem from build-package.sh ($TASKER_RB_GEM): installs offline into a temporary directory and
# runs a worker from the installed copy, which finds libtasker.so and the core jar inside itself.
RSpec.describe 'the tasker-core-rb gem', :e2e, :subprocess do
  before(:all) do
    @gem = ENV.fetch('TASKER_RB_GEM', '')
    skip 'TASKER_RB_GEM is not set (the Maven module builds the gem and sets it)' if @gem.empty?
    ENV['DATABASE_URL'] = TestEnv.database_url
    @client = TaskerCore::Client.new
    @client.register_template(File.read(File.join(TestEnv::ROOT, 'spec', 'fixtures', 'templates', 'rb_package', 'greet.yaml')))
    @home = Dir.mktmpdir('tasker-rb-gem')
    # --local: nothing is fetched; the ffi dependency is Debian's ruby-ffi, found through GEM_PATH
    out, status = Open3.capture2e(installed_env, 'gem', 'install', '--local', '--no-document', @gem)
    raise "gem install failed:\n#{out}" unless status.success?
  end

  after(:all) { FileUtils.rm_rf(@home) if @home }

  # The environment of a user of the installed gem: no development overrides.
  def installed_env
    system_paths = Gem.path.join(File::PATH_SEPARATOR)
    { 'GEM_HOME' => @home, 'GEM_PATH' => "#{@home}#{File::PATH_SEPARATOR}#{system_paths}",
      'TASKER_LIBRARY' => nil, 'TASKER_CLASSPATH' => nil, 'RUBYLIB' => nil, 'RUBYOPT' => nil }
  end

  it 'carries the library, the core jar and the AOT cache' do
    script = 'require "tasker_core"; n = TaskerCore::Native; puts n.find_library, n.find_classpath, n.find_aot_cache.inspect'
    out, status = Open3.capture2e(installed_env, RbConfig.ruby, '-e', script, chdir: @home)
    expect(status).to be_success, out
    library, jar, aot = out.lines.map(&:strip)
    expect(library).to start_with(@home).and end_with('tasker_core/vendor/libtasker.so')
    expect(jar).to start_with(@home).and end_with('tasker_core/vendor/tasker-bridge.jar')
    expect(aot).to include('tasker_core/vendor/tasker.aot').or eq('nil')
  end

  it 'runs a worker from the installed copy' do
    log = File.join(@home, 'worker.log')
    pid = Process.spawn(installed_env, File.join(@home, 'bin', 'tasker-rb'), 'worker', '--namespace', 'rb_package',
                        '--handlers', File.join(TestEnv::ROOT, 'spec', 'fixtures', 'handlers_ok'),
                        chdir: @home, out: log, err: log)
    task = @client.create_task(namespace: 'rb_package', name: 'greet', version: '1.0.0', context: { 'name' => 'gem' })
    doc = @client.wait_for_task(task['task_uuid'], timeout: 60)
    expect(doc['state']).to eq('complete'), File.read(log)
    expect(doc['steps'].first['result']).to eq('greeting' => 'hello gem')
  ensure
    if pid
      Process.kill('TERM', pid)
      status = Timeout.timeout(30) { Process.wait2(pid).last }
      expect(status.exitstatus).to eq(0), File.read(log)
    end
  end
end
