-- No progress bar on the terminal of the command that compares.
set enable_progress_bar = false
