"""The documents room: what people take away (the briefing PDF, Excel templates, error
workbooks) and the Indonesian number formats they share with the dashboard.

Built from published tables (`kpi`, `dataset_definisi`, ...) or the same structures in memory.
Imports nothing from `pipelines/` or `dashboards/`; both import it (the README (rooms)).
"""
