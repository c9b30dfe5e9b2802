#!/usr/bin/env ruby
# frozen_string_literal: true

# Prints benchmark numbers for the Ruby gem (never asserted by tests):
#   ruby benchmarks/bench.rb roundtrip [events]   one poll + one complete per event, from CRuby
#   ruby benchmarks/bench.rb e2e [tasks]          linear / diamond creation → complete P50 with
#                                                  Ruby no-op handlers (worker + orchestrator here)
# Needs DATABASE_URL (a database of its own) and TASKER_LIBRARY / TASKER_CLASSPATH (or the gem).
$LOAD_PATH.unshift(File.expand_path('../lib', __dir__))
require 'tasker_core'
require 'json'
require 'securerandom'

module Bench
  DIR = __dir__

  module_function

  def percentile(sorted, q)
    sorted[[(sorted.size * q).ceil - 1, 0].max]
  end

  def now
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end

  def client
    @client ||= TaskerCore::Client.new.tap do |c|
      Dir[File.join(DIR, 'templates', '*.yaml')].each { |f| c.register_template(File.read(f)) }
    end
  end

  def create(shape)
    client.create_task(namespace: 'rb_bench', name: shape, context: {}, idempotency_key: SecureRandom.uuid)['task_uuid']
  end

  # Fills the dispatch channel, then times poll + complete with the core's own loop out of the way:
  # per event for one event per call, and for batches of 100 (array form of tasker_complete).
  def roundtrip(events)
    client
    TaskerCore::Native.call_json(:tasker_worker_start, { 'namespaces' => ['rb_bench'], 'handlers' => ['rb_bench.noop'],
                                                         'concurrency' => 1000, 'with_orchestrator' => true })
    body = { 'success' => true, 'status' => 'completed', 'result' => {}, 'metadata' => { 'execution_time_ms' => 0.01 } }
    results = {}
    [[1, 'single'], [100, 'batch_100']].each do |batch, label|
      times = []
      done = 0
      while done < events
        (events / 4).times { create('linear') } if queued < batch
        wait_for_queue(batch)
        t0 = now
        polled = TaskerCore::Native.call(:tasker_poll, batch, 0)
        completions = polled.map { |e| { 'event_id' => e['event_id'], 'result' => body } }
        TaskerCore::Native.call_json(:tasker_complete, batch == 1 ? completions.first : completions)
        elapsed = now - t0
        next if polled.empty?

        times << (elapsed / polled.size * 1e6)
        done += polled.size
      end
      times.sort!
      results[label] = { 'events' => done, 'p50_us' => percentile(times, 0.5).round(1),
                         'mean_us' => (times.sum / times.size).round(1) }
    end
    TaskerCore::Native.call(:tasker_worker_stop, 2000)
    results
  end

  def queued
    TaskerCore::Native.call(:tasker_worker_status).dig('channel', 'queued').to_i
  end

  def wait_for_queue(n)
    deadline = now + 10
    sleep 0.001 while queued < n && now < deadline
  end

  def e2e(tasks)
    registry = TaskerCore::Registry.load_dir(File.join(DIR, 'handlers'))
    client
    worker = TaskerCore::Worker.new(registry: registry, namespaces: ['rb_bench'], concurrency: 16,
                                    with_orchestrator: true)
    worker.start
    rows = %w[linear diamond].map do |shape|
      [[20, tasks].min, tasks].map do |n| # warm-up, then measure
        create_ms = []
        total_ms = []
        n.times do
          t0 = now
          uuid = create(shape)
          t1 = now
          doc = client.wait_for_task(uuid, timeout: 30)
          raise "#{shape} task ended #{doc['state']}" unless doc['state'] == 'complete'

          create_ms << ((t1 - t0) * 1000)
          total_ms << ((now - t0) * 1000)
        end
        [create_ms.sort, total_ms.sort]
      end.last.then do |create_ms, total_ms|
        { 'shape' => shape, 'tasks' => tasks, 'create_p50_ms' => percentile(create_ms, 0.5).round(2),
          'e2e_p50_ms' => percentile(total_ms, 0.5).round(2), 'e2e_p95_ms' => percentile(total_ms, 0.95).round(2) }
      end
    end
    worker.stop
    rows
  end
end

command = ARGV.fetch(0, 'roundtrip')
result = case command
         when 'roundtrip' then Bench.roundtrip(Integer(ARGV.fetch(1, '4000')))
         when 'e2e' then Bench.e2e(Integer(ARGV.fetch(1, '200')))
         else abort "usage: #{$PROGRAM_NAME} roundtrip [events] | e2e [tasks]"
         end
puts JSON.pretty_generate('benchmark' => "ruby-#{command}", 'ruby' => RUBY_DESCRIPTION, 'result' => result)
TaskerCore::Runtime.shutdown
