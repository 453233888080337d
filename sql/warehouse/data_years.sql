-- Every year that has data in any dataset with data years (data_years_one_dataset.sql each).
{per_dataset|union}
