# frozen_string_literal: true

require 'spec_helper'
require 'securerandom'
require 'open3'
require 'timeout'

# The native layer against the real libtasker.so.
RSpec.describe TaskerCore::Native, :e2e do
  before(:all) do
    TestEnv.require_library!
    ENV['DATABASE_URL'] = TestEnv.database_url
    @info = TaskerCore::Runtime.init
  end

  it 'loads the library of ABI version 1 and initialises the core once' do
    expect(described_class::Lib.tasker_abi_version).to eq(1)
    expect(@info).to include('abi_version' => 1)
    expect(@info['java_version']).to start_with('2')
    # inside JRuby the library attaches to the JVM it runs in; under CRuby it boots its own
    expect(@info['attached']).to eq(RUBY_ENGINE == 'jruby')
    expect(TaskerCore::Runtime.init).to eq(@info)
  end

  it 'maps status codes of real calls to exceptions carrying the JSON path' do
    expect { described_class.call_json(:tasker_client, '{"op": "task.get", "args": ') }
      .to raise_error(TaskerCore::Errors::ValidationError)
    expect { described_class.call_json(:tasker_client, { 'op' => 'no.such.op', 'args' => {} }) }
      .to raise_error(TaskerCore::Errors::ValidationError, /no.such.op/)
  end

  it 'frees and zeroes every buffer (a second free is a no-op)' do
    buf = described_class::Buf.new
    expect(described_class::Lib.tasker_worker_status(buf)).to eq(0)
    expect(buf[:len]).to be > 0
    described_class::Lib.tasker_buf_free(buf)
    expect([buf[:ptr].null?, buf[:len]]).to eq([true, 0])
    described_class::Lib.tasker_buf_free(buf)
  end

  it 'refuses to poll or complete without a started worker in this process', unless: RUBY_ENGINE == 'jruby' do
    expect { described_class.call(:tasker_poll, 1, 0) }.to raise_error(TaskerCore::Errors::NotRunningError)
    expect { described_class.call_json(:tasker_complete, { 'event_id' => 'x', 'result' => {} }) }
      .to raise_error(TaskerCore::Errors::TaskerError)
  end

  it 'writes log records through the core' do
    expect(described_class.log(2, { 'message' => 'hello from rspec', 'logger' => 'tasker.rb.spec' })).to eq(0)
    expect(described_class.log(2, 'not an object')).to eq(-1)
  end
end

RSpec.describe TaskerCore::Client, :e2e do
  before(:all) do
    TestEnv.require_library!
    ENV['DATABASE_URL'] = TestEnv.database_url
    @client = described_class.new
    @client.register_template(File.join(TestEnv::ROOT, 'spec', 'fixtures', 'templates', 'rb_client', 'unserved.yaml'))
  end

  let(:client) { @client }

  it 'registers, lists and reads templates' do
    names = client.list_templates(namespace: 'rb_client').map { |t| t['name'] }
    expect(names).to eq(['unserved'])
    expect(client.get_template(namespace: 'rb_client', name: 'unserved')).to include('name' => 'unserved')
    expect { client.register_template("name: broken\nsteps: 7\n") }.to raise_error(TaskerCore::Errors::ValidationError)
  end

  it 'creates, reads, lists and cancels tasks, and lists their steps' do
    task = client.create_task(namespace: 'rb_client', name: 'unserved', context: { even_number: 4 },
                              initiator: 'rspec', reason: 'client spec')
    uuid = task['task_uuid']
    expect(client.get_task(uuid)).to include('task_uuid' => uuid, 'namespace' => 'rb_client',
                                             'name' => 'unserved', 'context' => { 'even_number' => 4 })
    expect(client.list_steps(uuid).map { |s| s['name'] }).to contain_exactly('first_step', 'second_step')
    step = client.list_steps(uuid).first
    expect(client.get_step(uuid, step['step_uuid'])).to include('step_uuid' => step['step_uuid'])
    expect(client.list_tasks(namespace: 'rb_client', name: 'unserved', limit: 50)['tasks'].map { |t| t['task_uuid'] })
      .to include(uuid)
    expect(client.cancel_task(uuid)['state']).to eq('cancelled')
  end

  it 'raises precise errors: unknown task, invalid context, duplicate identity, wait timeout' do
    expect { client.get_task(SecureRandom.uuid) }.to raise_error(TaskerCore::Errors::NotFoundError)
    expect { client.create_task(namespace: 'rb_client', name: 'unserved', context: { even_number: 'six' }) }
      .to raise_error(TaskerCore::Errors::ValidationError, /even_number/)
    expect { client.create_task(namespace: 'conformance', name: 'no_such_template', context: {}) }
      .to raise_error(TaskerCore::Errors::NotFoundError)
    key = SecureRandom.uuid
    waiting = client.create_task(namespace: 'rb_client', name: 'unserved', context: { even_number: 2 },
                                 idempotency_key: key)['task_uuid']
    expect { client.create_task(namespace: 'rb_client', name: 'unserved', context: { even_number: 2 }, idempotency_key: key) }
      .to raise_error(TaskerCore::Errors::ConflictError)
    expect { client.wait_for_task(waiting, timeout: 0.2) }.to raise_error(TaskerCore::Errors::TimeoutError)
    client.cancel_task(waiting)
  end

  it 'answers health' do
    expect(client.health).to be_a(Hash)
  end
end

RSpec.describe TaskerCore::Runtime, :e2e, :subprocess do
  it 'leaves child processes reapable after booting the JVM (Open3 waits in a thread)' do
    TestEnv.require_library!
    TaskerCore::Runtime.init
    out, status = Timeout.timeout(10) { Open3.capture2(RbConfig.ruby, '-e', 'print 42') }
    expect([out, status.exitstatus]).to eq(['42', 0])
  end
end
