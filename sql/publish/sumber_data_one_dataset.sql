select '{dataset}' as dataset, sintetis, sumber, count(*) as baris from main.{dataset} group by all
