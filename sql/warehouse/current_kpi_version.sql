select versi from kpi_versi
