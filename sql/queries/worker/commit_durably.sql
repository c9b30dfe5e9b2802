-- back to a durable commit for a transaction that decided more than a claim (a step failed for
-- good on redelivery): what it decided must not be lost once others saw it
set local synchronous_commit = on
