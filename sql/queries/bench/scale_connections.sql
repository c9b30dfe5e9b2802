-- tasker bench scale: connections a non-superuser may open on this server, and those open now,
-- for the connection-budget check before a cluster starts.
select current_setting('max_connections')::int
         - current_setting('superuser_reserved_connections')::int as usable,
       (select count(*) from pg_stat_activity where backend_type = 'client backend') as in_use
