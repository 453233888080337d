-- The first row, in stored order, where two tables of the same columns differ: the tables side
-- by side by position (POSITIONAL JOIN). A double is compared by value and by its sign bit, so
-- -0.0 is not 0.0. Filled in by pipelines.cadangan.compare: {select} (a_<column>, b_<column>
-- pairs), {table}, {differs}.
select {select}
from lama.{table} as a positional join baru.{table} as b
where {differs}
limit 1
