(select {columns} from {table})
