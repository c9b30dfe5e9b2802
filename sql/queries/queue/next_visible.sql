-- seconds until the earliest hidden message becomes visible (null when none); lets a consumer
-- sleep exactly until a delayed message is due instead of polling blindly
select extract(epoch from (min(vt) - clock_timestamp()))::float8 from pgmq.q_%1$s
