select kunci, sidik from sidik_masukan where konsumen = ?
