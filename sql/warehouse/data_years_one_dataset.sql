select distinct tahun from {dataset}
