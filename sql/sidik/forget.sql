delete from {ledger} where {owner} = ?
