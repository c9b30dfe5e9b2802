-- The database has the real pgmq extension: use it as is. tasker calls only functions whose
-- names and signatures the emulation (sql/pgmq-emulation) shares.
create extension if not exists pgmq;
