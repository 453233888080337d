insert into {ledger} values (?, ?, ?)
