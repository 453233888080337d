-- One dataset's slices in kelengkapan_irisan, before they are counted again (? = dataset).
delete from main.kelengkapan_irisan where dataset = ?
