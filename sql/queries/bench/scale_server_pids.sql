-- tasker bench scale: PostgreSQL processes whose CPU time counts as the database's: the backends
-- of this database and the server's background processes (WAL writer, checkpointer, ...).
select pid from pg_stat_activity
 where datname = current_database() or backend_type <> 'client backend'
