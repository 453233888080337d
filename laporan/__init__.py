"""The documents room: what is built for people to take away.

Excel templates for data officers, error workbooks for rejected files (and, later, the briefing
PDF). Everything here is built from published tables (`dataset_definisi`, `wilayah`, ...) or the
same structures in memory, so the dashboard and the pipeline can both call it. It imports nothing
from `pipelines/` or `dashboards/` (tests/test_architecture.py).
"""
