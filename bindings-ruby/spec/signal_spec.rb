# frozen_string_literal: true

require 'spec_helper'
require 'timeout'
require 'tmpdir'
require_relative 'support/worker_process'

# INT/TERM while a handler runs: the worker stops polling, lets the handler finish within the
# grace period (or fails its event as retryable worker_shutdown when it does not), stops the core
# and exits 0. Runs `tasker-rb worker` processes, so CRuby only.
RSpec.describe 'tasker-rb worker and signals', :e2e, :subprocess do
  before(:all) do
    TestEnv.require_library!
    ENV['DATABASE_URL'] = TestEnv.database_url
    @client = TaskerCore::Client.new
    @client.register_template(File.read(File.join(WorkerProcess::SPEC_TEMPLATES, 'rb_signal', 'slow.yaml')))
  end

  def start_worker(grace)
    WorkerProcess.spawn_cli('--namespace', 'rb_signal', '--handlers', File.join(TestEnv::ROOT, 'spec', 'fixtures', 'signal_handlers'),
                            '--grace-seconds', grace.to_s, '--concurrency', '2', log_name: "signal-#{grace}")
  end

  def slow_task(seconds, marker)
    @client.create_task(namespace: 'rb_signal', name: 'slow', version: '1.0.0',
                        context: { 'seconds' => seconds, 'marker' => marker })['task_uuid']
  end

  def wait_for_marker(marker, pid, log)
    Timeout.timeout(60) { sleep 0.05 until File.exist?(marker) }
  rescue Timeout::Error
    Process.kill('KILL', pid)
    raise "the handler never started; worker log:\n#{File.read(log)}"
  end

  def exit_status(pid, log)
    Timeout.timeout(30) { Process.wait2(pid).last }
  rescue Timeout::Error
    Process.kill('KILL', pid)
    raise "worker did not exit after the signal; log:\n#{File.read(log)}"
  end

  it 'lets a running handler finish on SIGINT, completes its step and exits 0' do
    Dir.mktmpdir do |dir|
      marker = File.join(dir, 'running')
      pid, log = start_worker(20)
      task = slow_task(2, marker)
      wait_for_marker(marker, pid, log)
      Process.kill('INT', pid)
      status = exit_status(pid, log)
      expect(status.exitstatus).to eq(0), File.read(log)
      doc = @client.wait_for_task(task, timeout: 10)
      expect(doc['state']).to eq('complete')
      expect(doc['steps'].first['result']).to eq('slept' => 2)
      expect(File.read(log)).to include('received SIGINT')
    end
  end

  it 'fails a handler still running when the grace ends on SIGTERM as retryable worker_shutdown' do
    Dir.mktmpdir do |dir|
      marker = File.join(dir, 'running')
      pid, log = start_worker(0.5)
      task = slow_task(30, marker)
      wait_for_marker(marker, pid, log)
      Process.kill('TERM', pid)
      status = exit_status(pid, log)
      expect(status.exitstatus).to eq(0), File.read(log)
      step = Timeout.timeout(30) do
        loop do
          s = @client.list_steps(task).first
          break s if s['error']

          sleep 0.1
        end
      end
      expect(step['error']).to include('error_type' => 'worker_shutdown', 'retryable' => true)
      expect(step['state']).not_to eq('complete')
      expect(File.read(log)).to include('received SIGTERM')
    end
  end
end
