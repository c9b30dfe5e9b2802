-- reads and claims a batch of step messages in one call (sql/migrations/V5__step_functions.sql);
-- args: queue, visibility timeout ms, max messages, message ids already read (null: read), delivery
-- limit, claim token, deadline grace ms
select * from tasker.claim_steps(?, ?, ?, ?::bigint[], ?, ?, ?)
