# frozen_string_literal: true

require 'spec_helper'
require 'yaml'
require 'securerandom'
require_relative 'support/worker_process'

# Every case of shared/conformance/expected.yaml, end to end: the Ruby handlers of spec/handlers
# run in a real worker (`tasker-rb worker` on CRuby), tasks are created and read through
# TaskerCore::Client against a real database. All tasks are created first and run concurrently.
RSpec.describe 'conformance (expected.yaml)', :e2e do
  cases = YAML.safe_load(File.read(File.join(TestEnv::CONFORMANCE_DIR, 'expected.yaml')))['cases']

  before(:all) do
    TestEnv.require_library!
    ENV['DATABASE_URL'] = TestEnv.database_url
    @client = TaskerCore::Client.new
    WorkerProcess.ensure_started(@client)
    @tasks = {}
    @creation_errors = {}
    cases.each do |c|
      namespace, name, version = c['template'].split('/')
      @tasks[c['id']] = @client.create_task(namespace: namespace, name: name, version: version, context: c['context'],
                                            idempotency_key: "rb-#{c['id']}-#{SecureRandom.uuid}")['task_uuid']
    rescue TaskerCore::Errors::TaskerError => e
      @creation_errors[c['id']] = e
    end
  end

  def final_document(id)
    @client.wait_for_task(@tasks.fetch(id), timeout: 90)
  rescue TaskerCore::Errors::TimeoutError
    raise "task #{id} not final after 90 s: #{JSON.pretty_generate(@client.get_task(@tasks[id]))}\n" \
          "worker log: #{WorkerProcess.log_path && File.read(WorkerProcess.log_path)[-4000..]}"
  end

  def step(document, name)
    document['steps'].find { |s| s['name'] == name } || raise("no step #{name} in #{document['steps'].map { |s| s['name'] }}")
  end

  cases.each do |c|
    it c['id'] do
      if c['rejected']
        expect(@tasks).not_to have_key(c['id'])
        error = @creation_errors[c['id']]
        expect(error).to be_a(TaskerCore::Errors::ValidationError)
        expect(error.message).to include('even_number')
        next
      end

      expect(@creation_errors[c['id']]).to be_nil
      doc = final_document(c['id'])
      expect(doc['state']).to eq(c['task_state']), -> { "#{c['id']}: #{JSON.pretty_generate(doc)}" }
      expect(doc['steps'].size).to eq(c['step_count']) if c['step_count']
      expect(step(doc, c['final_step'])['result']).to eq(c['result']) if c['final_step']
      (c['steps'] || {}).each do |name, want|
        got = step(doc, name)
        what = "#{c['id']} step #{name}: #{got}"
        expect(got['state']).to eq(want['state']), what if want['state']
        expect(got['attempts']).to eq(want['attempts']), what if want['attempts']
        expect(got.dig('error', 'error_type')).to eq(want['error_type']), what if want['error_type']
        expect(got.dig('error', 'message')).to include(want['message_contains']), what if want['message_contains']
      end
    end
  end
end
