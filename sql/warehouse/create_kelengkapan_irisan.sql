-- What has arrived per dataset, kabupaten and year (kelengkapan_data_one_dataset.sql): kept
-- here by pipelines.warehouse.publish, a dataset's rows counted again only when its files
-- changed, so kelengkapan_data and kepatuhan_pelaporan need not count every table each publish.
create table if not exists kelengkapan_irisan (
    dataset varchar not null,
    wilayah varchar,
    kode_kab varchar,
    tahun integer,
    n bigint,
    sintetis boolean,
    t timestamp
)
