-- Transactions committed in the current database so far, every client's (read-only ones too).
-- Run after `select pg_stat_force_next_flush()` and a pause of a second: backends publish their
-- counters at most once a second.
select xact_commit from pg_stat_database where datname = current_database()
