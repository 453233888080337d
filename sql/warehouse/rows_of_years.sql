where list_contains(?::integer[], tahun)
