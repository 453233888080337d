select tingkat, count(*) as n from wilayah group by 1 order by 1
