insert into {table} by name
select *, ? as sha256, ? as dimuat_pada
from new_rows
