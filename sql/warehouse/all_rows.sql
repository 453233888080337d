where true
