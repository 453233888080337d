-- Which figures are real and which are synthetic sample data, per dataset and source.
-- sumber_data_one_dataset.sql once per declared dataset.
select * from (
{per_dataset|union all}
)
order by 1, 2, 3
