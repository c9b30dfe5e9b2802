insert into tasker.named_steps (name) values (?) on conflict (name) do nothing
