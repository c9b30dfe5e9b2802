-- Publishes this backend's pending statistics now instead of at its next report.
select pg_stat_force_next_flush()
