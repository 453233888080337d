select '{dataset}' as dataset, '{wilayah}' as wilayah
