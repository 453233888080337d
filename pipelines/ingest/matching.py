"""Match region names to Kemendagri codes, for files that carry names instead of codes.

Names are normalised first (case, spacing, punctuation, the prefixes "Desa", "Kelurahan",
"Kabupaten", "Kab.", "Kota", "Kecamatan", and "Palangkaraya" = "Palangka Raya" by ignoring
spaces), then compared with rapidfuzz inside the smallest known area: the kecamatan when the file
gives one, else the kabupaten. That keeps both the cost and the risk of a wrong match small.

A trailing numeral (`Montallat I` / `Montallat II`, `Benangin 3` / `Benangin III`) must match
exactly: these are different villages whose names differ in one character, which fuzzy scoring
alone would happily confuse.
"""

import re
from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz, process

MIN_SCORE = 85.0

_PREFIXES = re.compile(
    r"^(desa|kelurahan|kel|kabupaten|kab|kota|kecamatan|kec|provinsi|prov)\s+", re.IGNORECASE
)
_NUMERALS = {
    "1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi", "7": "vii", "8": "viii",
    "9": "ix", "10": "x", "satu": "i", "dua": "ii", "tiga": "iii", "empat": "iv", "lima": "v",
}  # fmt: skip
_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


@dataclass(frozen=True)
class NameKey:
    base: str  # letters and digits only, no spaces
    numeral: str  # trailing numeral as a lower-case roman numeral, or ""


def name_key(name: str) -> NameKey:
    text = re.sub(r"[^\w\s]", " ", name.lower())
    text = re.sub(r"\s+", " ", text).strip()
    while True:
        stripped = _PREFIXES.sub("", text)
        if stripped == text:
            break
        text = stripped
    tokens = text.split(" ")
    numeral = ""
    if len(tokens) > 1:
        last = tokens[-1]
        if last in _ROMAN or last in _NUMERALS:
            numeral = _NUMERALS.get(last, last)
            tokens = tokens[:-1]
    return NameKey("".join(tokens), numeral)


@dataclass(frozen=True)
class Match:
    kode: str | None
    nama: str | None
    score: float
    error: str | None  # Bahasa Indonesia, when there is no unique match


def best_match(query: str, candidates: dict[str, str], what: str) -> Match:
    """Match `query` against {kode: nama}. Exact normalised names win; else fuzzy, unique."""
    key = name_key(query)
    same_numeral = {k: n for k, n in candidates.items() if name_key(n).numeral == key.numeral}
    exact = [k for k, n in same_numeral.items() if name_key(n).base == key.base]
    if len(exact) == 1:
        return Match(exact[0], candidates[exact[0]], 100.0, None)
    if len(exact) > 1:
        names = ", ".join(f"{candidates[k]} ({k})" for k in sorted(exact))
        return Match(None, None, 100.0, f"{what} '{query}' ambigu: ada beberapa, yaitu {names}")
    if not same_numeral:
        return Match(None, None, 0.0, f"{what} '{query}' tidak ditemukan")
    codes = list(same_numeral)
    choices = [name_key(same_numeral[k]).base for k in codes]
    ranked = process.extract(key.base, choices, scorer=fuzz.ratio, limit=2)
    if not ranked or ranked[0][1] < MIN_SCORE:
        hint = ""
        if ranked:
            hint = f" (paling mirip: {same_numeral[codes[ranked[0][2]]]}, skor {ranked[0][1]:.0f})"
        return Match(
            None, None, ranked[0][1] if ranked else 0.0, f"{what} '{query}' tidak ditemukan{hint}"
        )
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        a, b = (same_numeral[codes[r[2]]] for r in ranked[:2])
        return Match(
            None, None, ranked[0][1], f"{what} '{query}' ambigu: sama mirip dengan {a} dan {b}"
        )
    kode = codes[ranked[0][2]]
    return Match(kode, candidates[kode], float(ranked[0][1]), None)


class RegionMatcher:
    """Name lookups over one province's (or the country's) reference list."""

    def __init__(self, wilayah: pl.DataFrame, provinsi: str, nama_provinsi: str) -> None:
        self.provinsi = provinsi
        self.nama_provinsi = nama_provinsi
        rows = wilayah.select("kode", "tingkat", "nama", "kode_kab", "kode_kec").rows()
        self.kabupaten = {k: n for k, lvl, n, _, _ in rows if lvl == "kabupaten"}
        self.kecamatan_in_kab: dict[str, dict[str, str]] = {}
        self.desa_in_kab: dict[str, dict[str, str]] = {}
        self.desa_in_kec: dict[str, dict[str, str]] = {}
        for kode, tingkat, nama, kode_kab, kode_kec in rows:
            if tingkat == "kecamatan":
                self.kecamatan_in_kab.setdefault(kode_kab, {})[kode] = nama
            elif tingkat == "desa":
                self.desa_in_kab.setdefault(kode_kab, {})[kode] = nama
                self.desa_in_kec.setdefault(kode_kec, {})[kode] = nama

    def kabupaten_or_provinsi(self, name: str) -> Match:
        if name_key(name) == name_key(self.nama_provinsi):
            return Match(self.provinsi, self.nama_provinsi, 100.0, None)
        return best_match(name, self.kabupaten, "kabupaten/kota")

    def desa(
        self, nama_kab: str, nama_kec: str | None, nama_desa: str
    ) -> tuple[Match, list[Match]]:
        """Return the village match and the kab/kec matches made on the way (for the report)."""
        steps = []
        kab = best_match(nama_kab, self.kabupaten, "kabupaten/kota")
        steps.append(kab)
        if kab.kode is None:
            return kab, steps
        candidates = self.desa_in_kab.get(kab.kode, {})
        if nama_kec:
            kec = best_match(nama_kec, self.kecamatan_in_kab.get(kab.kode, {}), "kecamatan")
            steps.append(kec)
            if kec.kode is None:
                return kec, steps
            candidates = self.desa_in_kec.get(kec.kode, {})
        return best_match(nama_desa, candidates, "desa/kelurahan"), steps
