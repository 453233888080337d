insert into sidik_masukan values (?, ?, ?)
