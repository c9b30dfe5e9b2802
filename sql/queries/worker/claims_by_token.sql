-- the claims a report with this token made that are on record (its reply was lost); args: queue,
-- task, token, delivery limit, deadline grace ms
select * from tasker.claims_by_token(?, ?, ?, ?, ?)
