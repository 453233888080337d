select tingkat, count(*) as baris, count(nilai) as terisi from kpi group by 1 order by 1
