-- The run's date in Asia/Jakarta, read by kepatuhan_pelaporan.sql as getvariable('hari_ini').
set variable hari_ini = cast(? as date)
