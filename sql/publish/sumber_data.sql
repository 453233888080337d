-- Which figures are real and which are synthetic sample data, per dataset and source.
-- The placeholder below becomes sumber_data_one_dataset.sql once per declared dataset.
create table snap.sumber_data as
select * from (
{per_dataset}
)
order by 1, 2, 3
