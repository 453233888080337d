"""Targets: the words of a target status and of the level a target is set at, declared once.

The pipeline writes these words into `capaian_target` (`status`, `target_tingkat`) and
publishes them as the catalogue tables `status_target` and `tingkat_target`: the dashboard and
the briefing read the words, their order and which statuses are good from there, never from
copies of their own (docs/contracts.md, "Targets").
"""

from typing import NamedTuple


class TargetStatus(NamedTuple):
    status: str  # the value in capaian_target.status, and the words shown
    baik: bool  # on the good side: shown in the good colour
    keterangan: str


MET, ON_TRACK, BEHIND = "target tercapai", "sesuai jalur", "tertinggal dari jalur"
# Worst first: `urutan` in status_target follows this order.
TARGET_STATUSES = (
    TargetStatus(BEHIND, False, "di bawah jalur, atau tahun target lewat tanpa tercapai"),
    TargetStatus(ON_TRACK, True, "belum tercapai, tetapi pada atau melewati jalur"),
    TargetStatus(MET, True, "nilai terakhir memenuhi target"),
)
# The levels a target is set at (capaian_target.target_tingkat), nearest first, and how a
# reader names them.
TARGET_LEVELS = {"kabupaten": "kabupaten/kota", "provinsi": "provinsi", "nasional": "nasional"}
