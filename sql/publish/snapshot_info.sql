create or replace table snap.snapshot_info as
select
    ?::timestamp as diterbitkan_pada,
    ?::varchar as run_id,
    ?::varchar as provinsi,
    (select nama from main.wilayah where kode = ?) as nama_provinsi,
    ?::integer as versi_skema
