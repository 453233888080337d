-- One row of a snapshot's table that the other lacks (counted with multiplicity), if any;
-- first and second are lama (the backup) and baru (the rebuild), one way round or the other.
select * from (
    select * from {first}.{table}
    except all
    select * from {second}.{table}
)
limit 1
