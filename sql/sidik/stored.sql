select kunci, sidik from {ledger} where {owner} = ?
