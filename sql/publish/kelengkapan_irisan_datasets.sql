-- The datasets kelengkapan_irisan holds slices of.
select distinct dataset from main.kelengkapan_irisan
