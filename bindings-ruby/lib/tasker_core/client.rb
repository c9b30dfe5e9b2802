# frozen_string_literal: true

module TaskerCore
  # Tasks, steps and templates through the core (tasker_client); each method returns the REST
  # response body of docs/api.md as a Hash (or Array). Errors raise TaskerCore::Errors::*.
  class Client
    def initialize(**init_options)
      Runtime.init(**init_options)
    end

    # Any op of docs/abi.md#client.
    def call(op, args = {})
      Native.call_json(:tasker_client, { 'op' => op, 'args' => compact(args) })
    end

    def create_task(namespace:, name:, context:, version: nil, initiator: nil, source_system: nil,
                    reason: nil, idempotency_key: nil)
      call('task.create', namespace: namespace, name: name, version: version, context: context,
                          initiator: initiator, source_system: source_system, reason: reason,
                          idempotency_key: idempotency_key)
    end

    def get_task(task_uuid)
      call('task.get', task_uuid: task_uuid)
    end

    def list_tasks(namespace: nil, name: nil, state: nil, limit: nil, offset: nil)
      call('task.list', namespace: namespace, name: name, state: state, limit: limit, offset: offset)
    end

    def cancel_task(task_uuid)
      call('task.cancel', task_uuid: task_uuid)
    end

    # The task document once the task is final; raises Errors::TimeoutError after `timeout` seconds.
    def wait_for_task(task_uuid, timeout: 30)
      call('task.wait', task_uuid: task_uuid, timeout_ms: (timeout * 1000).round)
    end

    def list_steps(task_uuid)
      call('step.list', task_uuid: task_uuid)
    end

    def get_step(task_uuid, step_uuid)
      call('step.get', task_uuid: task_uuid, step_uuid: step_uuid)
    end

    # action: reset_for_retry | resolve_manually | complete_manually
    def update_step(task_uuid, step_uuid, action:, result: nil, reason: nil, operator: nil)
      call('step.update', task_uuid: task_uuid, step_uuid: step_uuid, action: action.to_s,
                          result: result, reason: reason, operator: operator)
    end

    def list_templates(namespace: nil)
      call('template.list', namespace: namespace)
    end

    def get_template(namespace:, name:, version: nil)
      call('template.get', namespace: namespace, name: name, version: version)
    end

    # Registers a template from its YAML text (or a path to a .yaml file).
    def register_template(yaml)
      text = yaml.end_with?('.yaml', '.yml') && File.file?(yaml) ? File.read(yaml) : yaml
      call('template.register', yaml: text)
    end

    def health
      call('health')
    end

    private

    def compact(args)
      args.each_with_object({}) { |(k, v), h| h[k.to_s] = v unless v.nil? }
    end
  end
end
