delete from sidik_masukan where konsumen = ?
