"""The sample-data generator: deterministic, valid by the input contract, faithful to the real
reference data, and plausible where synthetic.

The files are read back here with a small reader written from docs/contracts.md (encoding,
delimiter, header and number rules), independent of the pipeline's own ingest code, so a
generator bug cannot hide behind the same bug in the reader.
"""

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from rapidfuzz import fuzz, process

from pipelines.contracts.datasets import DATASETS, Kind, Villages, is_personal_header
from pipelines.contracts.privacy import personal_value_columns
from pipelines.sample_data import describe, kalteng, national
from pipelines.sample_data.__main__ import main as cli_main

REFERENCE = kalteng.DEFAULT_REFERENCE_DIR
DESA_ONLY = tuple(name for name, d in DATASETS.items() if d.villages is Villages.DESA)
YES = {"ya", "y", "1", "true", "ada", "aktif"}
NO = {"tidak", "t", "0", "false", "tidak_ada", "tidak_aktif"}


# Column kinds and keys come from the declarations; the parsing below is written from the spec.
def _columns(*kinds: Kind) -> set[str]:
    return {c.name for d in DATASETS.values() for c in d.all_columns if c.kind in kinds}


INTEGER = _columns(Kind.INTEGER, Kind.TAHUN)
RUPIAH = _columns(Kind.RUPIAH)
DECIMAL = _columns(Kind.DECIMAL)
YESNO = _columns(Kind.BOOLEAN)
CATEGORY = _columns(Kind.CATEGORY)
KEYS = {name: d.key for name, d in DATASETS.items()}
# Official recap headers (`DLD`, `Skor`) name a declared column by its alias.
ALIASES = {a: c.name for d in DATASETS.values() for c in d.all_columns for a in c.aliases}


# --- a reader written from the spec -------------------------------------------------------------


def parse_number(text: str, kind: str) -> Decimal:
    """The number rules of docs/contracts.md; raises ValueError for anything else."""
    s = re.sub(r"[\s\u00a0]", "", text)
    negative = s.startswith("-")
    s = re.sub(r"^[Rr][Pp]\.?", "", s.lstrip("-"))
    if "," in s and "." in s:
        decimal_sep = s[max(s.rfind(","), s.rfind("."))]
        thousands = "." if decimal_sep == "," else ","
        if not re.fullmatch(rf"\d{{1,3}}(\{thousands}\d{{3}})*\{decimal_sep}\d+", s):
            raise ValueError(text)
        s = s.replace(thousands, "").replace(decimal_sep, ".")
    elif s.count(".") >= 2 or s.count(",") >= 2:
        if not re.fullmatch(r"\d{1,3}([.,]\d{3})+", s):
            raise ValueError(text)
        s = s.replace(".", "").replace(",", "")
    elif "," in s:
        s = s.replace(",", ".")
    elif kind in ("int", "rp") and re.fullmatch(r"\d{1,3}\.\d{3}", s):
        s = s.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError(text)
    value = Decimal(s)
    fraction = s.partition(".")[2]
    if kind == "int" and fraction.strip("0"):
        raise ValueError(f"not an integer: {text}")
    if kind == "rp" and len(fraction.rstrip("0")) > 2:
        raise ValueError(f"more than two decimals: {text}")
    return -value if negative else value


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().lower())


def dotted(code: str) -> str:
    code = code.strip()
    if re.fullmatch(r"\d{10}", code):
        return f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}", code), code
    return code


@dataclass
class SampleTable:
    path: Path
    dataset: str
    encoding: str  # "xlsx" for Excel
    delimiter: str
    header: list[str]
    raw: list[dict[str, str]]  # cell text as written, by normalised column name
    rows: list[dict[str, object]] = field(default_factory=list)  # parsed values


def parse_cell(column: str, text: str) -> object:
    if text == "":
        return None
    if column == "kode_desa":
        return dotted(text)
    if column in INTEGER:
        return int(parse_number(text, "int"))
    if column in RUPIAH:
        return parse_number(text, "rp")
    if column in DECIMAL:
        return float(parse_number(text, "dec"))
    if column in YESNO:
        token = normalise_header(text)
        assert token in YES | NO, (column, text)
        return token in YES
    if column in CATEGORY:
        return normalise_header(text)
    return text


def read_sample(path: Path) -> SampleTable:
    if path.suffix == ".xlsx":
        frame = fastexcel.read_excel(str(path)).load_sheet(0, dtypes="string").to_polars()
        header = list(frame.columns)
        records = [{k: v or "" for k, v in r.items()} for r in frame.iter_rows(named=True)]
        encoding, delimiter = "xlsx", ""
    else:
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            text, encoding = data[3:].decode("utf-8"), "utf-8-sig"
        else:
            try:
                text, encoding = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, encoding = data.decode("cp1252"), "cp1252"
        first = text.splitlines()[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader)
        records = [dict(zip(header, r, strict=True)) for r in reader]

    def canonical(h: str) -> str:
        return ALIASES.get(normalise_header(h), normalise_header(h))

    names = [canonical(h) for h in header]
    raw = [{canonical(k): v for k, v in r.items()} for r in records]
    table = SampleTable(path, path.parent.name, encoding, delimiter, names, raw)
    table.rows = [{c: parse_cell(c, v) for c, v in r.items()} for r in raw]
    return table


def sha256_tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "inbox"
    assert cli_main(["--out", str(out), "--seed", "2026"]) == 0
    return out


@pytest.fixture(scope="module")
def tables(inbox: Path) -> list[SampleTable]:
    return [read_sample(p) for p in sorted(inbox.glob("*/*"))]


@pytest.fixture(scope="module")
def reference() -> kalteng.Reference:
    return kalteng.load_reference(REFERENCE)


@pytest.fixture(scope="module")
def villages(reference: kalteng.Reference) -> pl.DataFrame:
    return reference.villages.select(
        pl.col("kode").alias("kode_desa"), "kode_kab", "kode_kec", "nama", "jenis"
    )


def coded(tables: list[SampleTable], dataset: str) -> pl.DataFrame:
    """All rows of a village dataset that carry kode_desa (the names-only file excluded)."""
    rows = [
        {k: v for k, v in r.items() if k not in ("sumber", "nama_desa")}
        for t in tables
        if t.dataset == dataset and "kode_desa" in t.header
        for r in t.rows
    ]
    frame = pl.DataFrame(rows, infer_schema_length=None)
    money = [c for c in frame.columns if c in RUPIAH]
    return frame.with_columns(pl.col(money).cast(pl.Float64))


# --- layout and determinism ----------------------------------------------------------------------


def test_inbox_layout(inbox: Path) -> None:
    # Every dataset of data years has files; targets ship as reference data (target_kpi.csv).
    with_data = sorted(name for name, d in DATASETS.items() if d.holds_data_years)
    assert sorted(p.name for p in inbox.iterdir()) == with_data
    files = [p for p in inbox.rglob("*") if p.is_file()]
    assert all(p.parent.parent == inbox for p in files), "files sit directly in <dataset>/"
    assert all(p.suffix in (".csv", ".xlsx") for p in files)
    assert 40 <= len(files) < 120
    for dataset in with_data:
        assert list((inbox / dataset).iterdir()), f"{dataset} has no file"


def test_same_seed_gives_identical_bytes(inbox: Path, tmp_path: Path) -> None:
    again = tmp_path / "inbox"
    kalteng.generate(again, seed=2026)
    first, second = sha256_tree(inbox), sha256_tree(again)
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_other_seed_changes_synthetic_files_only(inbox: Path, tmp_path: Path) -> None:
    other = tmp_path / "inbox"
    written = kalteng.generate(other, seed=2027, datasets=("idm", "dana_desa", "kemiskinan_kab"))
    for w in written:
        name = str(w.path.relative_to(other))
        same = (inbox / name).read_bytes() == w.path.read_bytes()
        assert same == w.spec.real, name  # real files do not depend on the seed


def test_describe_lists_every_file(inbox: Path) -> None:
    text = describe()
    listed = set(re.findall(r"^\| (\S+/\S+) \|", text, flags=re.MULTILINE))
    written = {str(p.relative_to(inbox)) for p in inbox.rglob("*") if p.is_file()}
    assert listed == written
    assert text.count("| NYATA |") == 4  # IDM 2024 and the three BPS files


# --- every file is valid by the contract ---------------------------------------------------------


def test_every_cell_parses_by_the_spec_rules(tables: list[SampleTable]) -> None:
    # read_sample raised already for any malformed number, code, yes/no or year; check the rest.
    for t in tables:
        assert t.rows, t.path
        assert len(set(t.header)) == len(t.header), t.path
        for r in t.rows:
            assert 2015 <= r["tahun"] <= 2026, t.path


# Required columns of docs/contracts.md, besides the area (kode_desa, or the names, or for
# kemiskinan_kab exactly one of kode_wilayah / kode_bps / nama_wilayah).
REQUIRED = {
    name: {c.name for c in d.all_columns if c.required and c.kind is not Kind.KODE_DESA}
    for name, d in DATASETS.items()
}


def test_required_columns_and_provenance(tables: list[SampleTable]) -> None:
    for t in tables:
        header = set(t.header)
        if DATASETS[t.dataset].villages is Villages.KABUPATEN:  # kemiskinan_kab, program_kegiatan
            area = {"kode_wilayah", "kode_bps", "nama_wilayah"} & header
            assert len(area) == 1, t.path
        elif "kode_desa" in header:
            area = {"kode_desa"}
        else:
            area = {"nama_kabupaten", "nama_desa"}
            assert area <= header, t.path
        required = REQUIRED[t.dataset] | area
        assert required <= header, (t.path, required - header)
        assert {"sumber", "sintetis"} <= header, t.path
        for r in t.rows:
            assert r["sumber"]
            for c in required:
                assert r[c] is not None, (t.path, c)
        real = {r["sintetis"] for r in t.rows}
        assert len(real) == 1, t.path
        sources = {r["sumber"] for r in t.rows}
        if real == {True}:
            assert sources == {kalteng.synthetic_source(2026)}, t.path
        else:
            assert not any("sintetis" in s.lower() for s in sources), t.path


def test_no_sample_file_is_refused_as_personal_data(inbox: Path) -> None:
    """The ingest's own privacy judge on every sample file (every sheet): the sample's random
    NIBs once began 628 like a phone number, and 13 of 14 UMKM files were refused."""
    from pipelines.ingest.reading import read_table
    from pipelines.ingest.validation import find_personal_data

    for path in sorted(inbox.glob("*/*")):
        found = find_personal_data(
            read_table(path, 512 * 2**20, 512 * 2**20), DATASETS[path.parent.name]
        )
        assert (found.columns, found.sheets) == ([], {}), path.name


def test_no_privacy_lookalikes(tables: list[SampleTable]) -> None:
    for t in tables:
        assert not any(is_personal_header(h) for h in t.header), t.path
        for r in t.raw:
            assert not any(re.fullmatch(r"\d{16}", v.strip()) for v in r.values()), t.path


def test_no_duplicate_keys_and_no_slice_in_two_files(tables: list[SampleTable]) -> None:
    # A slice (dataset, kabupaten, tahun) in two files would make the second replace the first.
    slices: dict[tuple[str, str, int], Path] = {}
    for t in tables:
        keys = Counter()
        for r in t.rows:
            if DATASETS[t.dataset].villages is Villages.KABUPATEN:
                area = r.get("kode_wilayah") or r.get("kode_bps") or r.get("nama_wilayah")
                key = (area, *(r[k] for k in KEYS[t.dataset][1:]))
                kab = str(area)
            elif "kode_desa" in t.header:
                key = tuple(
                    str(r[k]).lower().replace(" ", "") if k.startswith("nama") else r[k]
                    for k in KEYS[t.dataset]
                )
                kab = r["kode_desa"][:5]
            else:  # names-only: one kabupaten
                key = (r["nama_kecamatan"], r["nama_desa"], r["tahun"])
                kab = kalteng.NAMES_ONLY_KAB
            keys[key] += 1
            slice_ = (t.dataset, kab, r["tahun"])
            assert slices.setdefault(slice_, t.path) == t.path, f"{slice_} in two files"
        assert max(keys.values()) == 1, (t.path, keys.most_common(1))


def test_codes_exist_and_desa_only_datasets_have_no_kelurahan(
    tables: list[SampleTable], villages: pl.DataFrame
) -> None:
    jenis = dict(zip(villages["kode_desa"], villages["jenis"], strict=True))
    for t in tables:
        if "kode_desa" not in t.header:
            continue
        codes = {r["kode_desa"] for r in t.rows}
        assert codes <= jenis.keys(), (t.path, sorted(codes - jenis.keys())[:5])
        if t.dataset in DESA_ONLY:
            assert {jenis[c] for c in codes} == {"desa"}, t.path
            assert not any(c.startswith("62.71.") for c in codes), t.path


def test_kemiskinan_desa_covers_kelurahan_and_palangkaraya(tables: list[SampleTable]) -> None:
    frame = coded(tables, "kemiskinan_desa")
    assert frame.filter(pl.col("kode_desa").str.starts_with("62.71.")).height > 100
    assert frame.filter(pl.col("kode_desa").str.slice(9, 1) == "1").height > 500


# --- real data copied exactly ------------------------------------------------------------------


def test_idm_2024_is_the_official_data(
    tables: list[SampleTable], reference: kalteng.Reference
) -> None:
    [real] = [t for t in tables if t.dataset == "idm" and t.rows[0]["tahun"] == 2024]
    assert real.path.suffix == ".xlsx"
    assert {r["sintetis"] for r in real.rows} == {False}
    source = {r["kode"]: r for r in reference.idm.iter_rows(named=True)}
    assert {r["kode_desa"] for r in real.rows} == source.keys()
    assert len(real.rows) == 1432
    for r in real.rows:
        s = source[r["kode_desa"]]
        assert r["iks"] == float(s["iks_2024"])
        assert r["ike"] == float(s["ike_2024"])
        assert r["ikl"] == float(s["ikl_2024"])
        assert r["nilai_idm"] == float(s["nilai_idm_2024"])
    # Status written exactly as published (upper case), counts as in SOURCES.md.
    status = Counter(r["status_idm"] for r in real.raw)
    assert status == {"MANDIRI": 248, "MAJU": 439, "BERKEMBANG": 659, "TERTINGGAL": 86}
    [odd] = [r for r in real.raw if dotted(r["kode_desa"]) == "62.13.06.2003"]
    assert odd["status_idm"] == "BERKEMBANG"
    assert float(odd["nilai_idm"]) == pytest.approx(0.741)
    # Codes are Excel numbers in the official file, as Kemendesa publishes them.
    assert all(re.fullmatch(r"\d{10}", r["kode_desa"]) for r in real.raw)


def test_synthetic_idm_is_consistent(tables: list[SampleTable]) -> None:
    frame = coded(tables, "idm").filter(pl.col("tahun") != 2024)
    assert sorted(frame["tahun"].unique()) == [2021, 2022, 2023, 2025]
    score = (pl.col("iks") + pl.col("ike") + pl.col("ikl")) / 3
    assert frame.filter((pl.col("nilai_idm") - score).abs() > 0.001).height == 0
    for c in ("iks", "ike", "ikl"):
        assert frame[c].min() >= 0
        assert frame[c].max() <= 1
    assert set(frame["status_idm"]) <= {
        "sangat_tertinggal",
        "tertinggal",
        "berkembang",
        "maju",
        "mandiri",
    }


def test_bps_coded_poverty_file(tables: list[SampleTable], reference: kalteng.Reference) -> None:
    coded_files = [t for t in tables if "kode_bps" in t.header]
    assert len(coded_files) == 1
    [t] = coded_files
    assert not {"kode_wilayah", "nama_wilayah"} & set(t.header)
    crosswalk = dict(
        zip(reference.crosswalk["kode_bps"], reference.crosswalk["kode_kemendagri"], strict=True)
    )
    source = {
        (r["kode_wilayah"], int(r["tahun"])): float(r["persentase_miskin"])
        for r in reference.bps.iter_rows(named=True)
        if int(r["tahun"]) >= 2015
    }
    got = {(crosswalk[r["kode_bps"]], r["tahun"]): r["persentase_miskin"] for r in t.rows}
    assert got == source
    assert len(got) == 56
    # BPS 6209 is Katingan, which Kemendagri numbers 62.06: the file must use BPS numbering.
    assert ("6209", 2018) in {(r["kode_bps"], r["tahun"]) for r in t.rows}
    assert got[("62.06", 2018)] == source[("62.06", 2018)]


def test_province_and_real_bps_poverty_files(
    tables: list[SampleTable], reference: kalteng.Reference
) -> None:
    """Real BPS P0 where it exists (SOURCES.md 3a-3c), marked real with its sources, and the
    gaps kept as gaps: no year is filled in."""
    [prov] = [t for t in tables if "kode_wilayah" in t.header and t.dataset == "kemiskinan_kab"]
    p0 = {r["tahun"]: r["persentase_miskin"] for r in prov.rows}
    real_2019 = {
        int(r["tahun"]): float(r["persentase_miskin"])
        for r in reference.bps_2019_2025.filter(pl.col("kode_wilayah") == "62").iter_rows(
            named=True
        )
    }
    # March figures 2015-2017 from the compiled series, none for 2018, then 3c for 2019-2025.
    assert p0 == {2015: 5.94, 2016: 5.66, 2017: 5.37, **real_2019}
    assert p0[2025] == 5.19  # the figure the RKPD 2025 ceiling of 4.66 is measured against
    assert {r["kode_wilayah"] for r in prov.rows} == {"62"}
    assert all(r["sintetis"] is False for r in prov.rows)
    assert all("Maret" in r["sumber"] for r in prov.rows)
    [by_name] = [t for t in tables if "nama_wilayah" in t.header]
    assert by_name.encoding != "xlsx"
    assert by_name.delimiter == ";"
    got = {(r["nama_wilayah"], r["tahun"]): r["persentase_miskin"] for r in by_name.rows}
    source = reference.bps_2019_2025.filter(pl.col("kode_wilayah") != "62")
    expected = {
        (r["nama_wilayah"], int(r["tahun"])): float(r["persentase_miskin"])
        for r in source.iter_rows(named=True)
    }
    assert got == expected
    assert len(got) + len(real_2019) == 64  # the 64 area-years of the file, no more
    assert [year for name, year in got if name == "Kabupaten Kapuas"] == [2024]
    assert all(
        r["sintetis"] is False and r["sumber"].startswith("BPS, Maret") for r in by_name.rows
    )


# --- forms officers send ------------------------------------------------------------------------


def test_forms_present(tables: list[SampleTable]) -> None:
    windows = [t for t in tables if t.encoding == "cp1252" and t.delimiter == ";"]
    assert len(windows) >= 5
    assert any(v.startswith("Rp ") and "," in v for t in windows for r in t.raw for v in r.values())
    assert any(t.encoding == "utf-8-sig" for t in tables)
    assert any(t.encoding == "utf-8" and t.delimiter == "," for t in tables)
    assert sum(t.encoding == "xlsx" for t in tables) >= 5
    # At least one xlsx has kode_desa as numeric cells (fastexcel reports a float column).
    numeric_codes = []
    for t in tables:
        if t.encoding == "xlsx" and "kode_desa" in t.header:
            sheet = fastexcel.read_excel(str(t.path)).load_sheet(0, n_rows=5)
            kinds = {normalise_header(c.name): c.dtype for c in sheet.available_columns()}
            if kinds["kode_desa"] in ("float", "int"):
                numeric_codes.append(t.path)
    assert numeric_codes
    assert any(h == "Kode Desa" for t in tables for h in _source_header(t))
    # Plain-digit codes in some CSVs.
    assert any(
        re.fullmatch(r"\d{10}", t.raw[0]["kode_desa"])
        for t in tables
        if t.encoding != "xlsx" and "kode_desa" in t.header
    )


def _source_header(t: SampleTable) -> list[str]:
    if t.encoding == "xlsx":
        return list(fastexcel.read_excel(str(t.path)).load_sheet(0, n_rows=1).to_polars().columns)
    data = t.path.read_bytes().decode("utf-8-sig" if t.encoding != "cp1252" else "cp1252")
    return next(csv.reader(io.StringIO(data), delimiter=t.delimiter))


def test_yes_no_written_in_many_styles(tables: list[SampleTable]) -> None:
    spellings = {
        r[c].strip().lower()
        for t in tables
        for r in t.raw
        for c in ("status_aktif", "badan_hukum", "apbdes_tepat_waktu")
        if r.get(c)
    }
    styles = [
        {"ya", "tidak"},
        {"y", "t"},
        {"1", "0"},
        {"true", "false"},
        {"ada", "tidak ada"},
        {"aktif", "tidak aktif"},
    ]
    assert all(style <= spellings for style in styles), spellings


def test_names_only_file(tables: list[SampleTable], villages: pl.DataFrame) -> None:
    names_only = [
        t
        for t in tables
        if not DATASETS[t.dataset].villages.by_area_code and "kode_desa" not in t.header
    ]
    assert len(names_only) == 1
    [t] = names_only
    assert {"nama_kabupaten", "nama_kecamatan", "nama_desa"} <= set(t.header)
    kab = villages.filter(pl.col("kode_kab") == kalteng.NAMES_ONLY_KAB)
    names = kab["nama"].to_list()
    exact, slipped, resolved = 0, 0, set()
    for r in t.rows:
        assert r["nama_kabupaten"].startswith("Kab. ")
        name = re.sub(r"^(Desa|Kelurahan) ", "", r["nama_desa"])
        if name in names:
            exact += 1
            resolved.add(name)
            continue
        # A misspelling: small, and its best match clear under each usual scorer.
        slipped += 1
        true = process.extractOne(name, names, scorer=fuzz.ratio)[0]
        letters = [re.sub(r"[^a-z]", "", n.lower()) for n in (name, true)]
        assert fuzz.ratio(*letters) >= 90, (name, true)
        for scorer in (fuzz.ratio, fuzz.WRatio, fuzz.token_sort_ratio):
            (best, s1, _), (_, s2, _) = process.extract(name, names, scorer=scorer, limit=2)
            assert s1 - s2 >= 10, (name, best, s1, s2)
        resolved.add(process.extractOne(name, names, scorer=fuzz.ratio)[0])
    assert exact >= len(t.rows) - 10
    assert 1 <= slipped <= 10
    assert len(resolved) == len(t.rows)  # every row is a different village
    # Numbered names are always written exactly (Montallat I vs Montallat II).
    numbered = [n for n in names if re.search(r" (I|II|III|V)$", n)]
    written = {re.sub(r"^(Desa|Kelurahan) ", "", r["nama_desa"]) for r in t.rows}
    assert {"Montallat I", "Montallat II"} <= written
    assert not [w for w in written if w not in names and re.search(r" [IV]+$", w)]
    assert numbered
    assert any(r["nama_desa"].startswith("Desa ") for r in t.rows)
    assert any(r["nama_desa"].startswith("Kelurahan ") for r in t.rows)


def test_late_file_from_seruyan(tables: list[SampleTable]) -> None:
    [late] = [t for t in tables if t.path.name == "2025_62.07_susulan.csv"]
    assert late.dataset == "dana_desa"
    assert {(r["kode_desa"][:5], r["tahun"]) for r in late.rows} == {("62.07", 2025)}
    others = [
        r
        for t in tables
        if t.dataset == "dana_desa" and t is not late
        for r in t.rows
        if r["kode_desa"].startswith("62.07.")
    ]
    assert others
    assert {r["tahun"] for r in others} == {2021, 2022, 2023, 2024}


# --- plausibility of the synthetic figures -----------------------------------------------------


def test_dana_desa_money(tables: list[SampleTable]) -> None:
    d = coded(tables, "dana_desa")
    assert d["pagu"].min() >= 0.6e9
    assert d["pagu"].max() <= 1.5e9
    assert 0.65e9 <= d["pagu"].median() <= 1.0e9
    assert d.filter(pl.col("salur") > pl.col("pagu")).height == 0
    assert d.filter(pl.col("realisasi") > pl.col("salur")).height == 0
    assert d.filter(pl.col("belanja_pemberdayaan") > pl.col("realisasi")).height == 0
    assert d.filter(pl.col("realisasi") < 0).height == 0
    # Some amounts carry sen; none more than two decimals (parse_number enforced that).
    assert d.filter(pl.col("realisasi") % 1 != 0).height > 0
    assert sorted(d["tahun"].unique()) == [2021, 2022, 2023, 2024, 2025]


def test_population_matches_real_kabupaten_totals(
    tables: list[SampleTable], reference: kalteng.Reference
) -> None:
    k = coded(tables, "kemiskinan_desa").filter(pl.col("tahun") == 2024)
    totals = dict(
        zip(
            reference.penduduk["kode"],
            reference.penduduk["penduduk_total"].cast(pl.Int64),
            strict=True,
        )
    )
    per_kab = k.group_by(pl.col("kode_desa").str.slice(0, 5).alias("kab")).agg(
        pl.col("jumlah_penduduk").sum()
    )
    for kab, people in per_kab.iter_rows():
        if kab == kalteng.NAMES_ONLY_KAB:
            continue  # its 2023 rows are in the names-only file; 2024 is coded
        assert people == pytest.approx(totals[kab], rel=0.08), kab
    assert k.filter(pl.col("kk_miskin") > pl.col("jumlah_kk")).height == 0
    assert k.filter(pl.col("kk_miskin_ekstrem") > pl.col("kk_miskin")).height == 0
    assert k["jumlah_penduduk"].min() > 0
    assert k["jumlah_kk"].min() > 0


def test_poverty_near_bps_level(tables: list[SampleTable], reference: kalteng.Reference) -> None:
    p0 = kalteng.latest_p0(reference)
    k = coded(tables, "kemiskinan_desa").filter(pl.col("tahun") == 2024)
    per_kab = k.group_by(pl.col("kode_desa").str.slice(0, 5).alias("kab")).agg(
        (100 * pl.col("kk_miskin").sum() / pl.col("jumlah_kk").sum()).alias("pct")
    )
    for kab, pct in per_kab.iter_rows():
        assert p0[kab] <= pct <= 2 * p0[kab], (kab, pct, p0[kab])


def test_lower_idm_means_more_poverty_fewer_active_bumdes(tables: list[SampleTable]) -> None:
    idm = coded(tables, "idm").filter(pl.col("tahun") == 2024).select("kode_desa", "nilai_idm")
    pov = coded(tables, "kemiskinan_desa").filter(pl.col("tahun") == 2024)
    joined = idm.join(pov, on="kode_desa").with_columns(
        (pl.col("kk_miskin") / pl.col("jumlah_kk")).alias("rate")
    )
    low = joined.filter(pl.col("nilai_idm") <= joined["nilai_idm"].quantile(0.25))
    high = joined.filter(pl.col("nilai_idm") >= joined["nilai_idm"].quantile(0.75))
    assert low["rate"].mean() > 1.3 * high["rate"].mean()

    bumdes = coded(tables, "bumdes").filter(pl.col("tahun") == 2024)
    active = bumdes.group_by("kode_desa").agg(pl.col("status_aktif").any().alias("aktif"))
    with_active = idm.join(active, on="kode_desa", how="left").with_columns(
        pl.col("aktif").fill_null(False)
    )
    q1 = with_active["nilai_idm"].quantile(0.25)
    q3 = with_active["nilai_idm"].quantile(0.75)
    assert (
        with_active.filter(pl.col("nilai_idm") <= q1)["aktif"].mean()
        < with_active.filter(pl.col("nilai_idm") >= q3)["aktif"].mean()
    )

    dana = coded(tables, "dana_desa").filter(pl.col("tahun") == 2024).join(idm, on="kode_desa")
    serapan = (pl.col("realisasi").sum() / pl.col("pagu").sum()).alias("s")
    low_s = dana.filter(pl.col("nilai_idm") <= q1).select(serapan).item()
    high_s = dana.filter(pl.col("nilai_idm") >= q3).select(serapan).item()
    assert low_s < high_s


def test_trends_are_visible(tables: list[SampleTable]) -> None:
    k = (
        coded(tables, "kemiskinan_desa")
        .group_by("tahun")
        .agg((pl.col("kk_miskin").sum() / pl.col("jumlah_kk").sum()).alias("rate"))
    )
    rate = dict(k.iter_rows())
    assert rate[2025] < rate[2023] < rate[2021]
    idm = dict(coded(tables, "idm").group_by("tahun").agg(pl.col("nilai_idm").mean()).iter_rows())
    assert idm[2021] < idm[2023] < idm[2025]
    b = coded(tables, "bumdes").group_by("tahun").agg(pl.col("status_aktif").mean())
    active = dict(b.iter_rows())
    assert active[2021] < active[2023] < active[2025]
    u = dict(coded(tables, "umkm").group_by("tahun").len().iter_rows())
    assert u[2021] < u[2023] < u[2025]


def test_some_villages_miss_some_years(tables: list[SampleTable], villages: pl.DataFrame) -> None:
    n_desa = villages.filter(pl.col("jenis") == "desa").height
    for dataset in ("dana_desa", "profil_desa"):
        years = coded(tables, dataset).group_by("kode_desa").len()
        short = years.filter(pl.col("len") < 5).height + (n_desa - years.height)
        assert 0.01 * n_desa <= short <= 0.08 * n_desa, (dataset, short)


def test_umkm_and_bumdes_look_real(tables: list[SampleTable], villages: pl.DataFrame) -> None:
    u = coded(tables, "umkm")
    per_village = (
        u.group_by("kode_desa", "tahun")
        .len()
        .join(villages.select("kode_desa", "jenis"), on="kode_desa")
    )
    desa = per_village.filter(pl.col("jenis") == "desa")["len"]
    kel = per_village.filter(pl.col("jenis") == "kelurahan")["len"]
    assert 5 <= desa.median() <= 40
    assert kel.mean() > desa.mean()
    nib = u["nib"].drop_nulls()
    assert nib.len() > 0.1 * u.height
    assert nib.str.contains(r"^\d{13}$").all()
    # A NIB must not read as personal data (62 8… is a mobile number): the file would be rejected.
    assert personal_value_columns(nib.to_frame()) == []
    assert set(u["skala"]) == {"mikro", "kecil", "menengah"}
    # Turnover stays in its scale's band (PP 7/2021): a 62,8 miliar omzet is no UMKM, and its
    # digits read as a mobile number, for which the privacy rule rejects the whole file.
    bands = u.group_by("skala").agg(
        lo=pl.col("omzet_tahunan").min(), hi=pl.col("omzet_tahunan").max()
    )
    band = {"mikro": (6e6, 2e9), "kecil": (2e9, 15e9), "menengah": (15e9, 50e9)}
    for skala, lo, hi in bands.iter_rows():
        assert lo >= band[skala][0] - 1e3, skala  # amounts are rounded down to Rp 1.000
        assert hi <= band[skala][1], skala
    assert set(u["sektor"]) <= {
        "pertanian", "perkebunan", "perikanan", "peternakan", "industri_pengolahan",
        "kuliner", "kerajinan", "perdagangan", "jasa", "pariwisata", "lainnya",
    }  # fmt: skip

    b = coded(tables, "bumdes")
    names = dict(zip(villages["kode_desa"], villages["nama"], strict=True))
    assert all(
        n.startswith(f"BUMDes {names[k]} ")
        for k, n in zip(b["kode_desa"], b["nama_bumdes"], strict=True)
    )
    assert b.group_by("kode_desa", "tahun").len()["len"].max() <= 2
    assert b.filter(pl.col("laba") < 0).height > 0  # losses happen


def test_profil_desa_ranges(tables: list[SampleTable]) -> None:
    p = coded(tables, "profil_desa")
    assert p.filter(pl.col("aparatur_terlatih") > pl.col("aparatur_total")).height == 0
    assert p.filter(pl.col("aparatur_pendidikan_sma") > pl.col("aparatur_total")).height == 0
    assert p.filter(pl.col("musdes_peserta_perempuan") > pl.col("musdes_peserta")).height == 0
    assert p.filter(pl.col("lahan_dimanfaatkan_ha") > pl.col("lahan_potensial_ha")).height == 0
    assert set(p["desa_wisata"]) <= {"tidak", "rintisan", "berkembang", "maju", "mandiri"}
    assert p["aparatur_total"].min() > 0


# --- national scale ------------------------------------------------------------------------------


def test_national_scale_small(tmp_path: Path) -> None:
    # A tiny country (two provinces, ~800 villages) so the test runs in seconds.
    small = {"seed": 7, "villages": 800, "provinces": 2}
    out, ref = tmp_path / "a" / "inbox", tmp_path / "a" / "ref"
    written = national.generate(out, reference_dir=ref, **small)
    national.generate(tmp_path / "b" / "inbox", reference_dir=tmp_path / "b" / "ref", **small)
    assert sha256_tree(out) == sha256_tree(tmp_path / "b" / "inbox")
    assert sha256_tree(ref) == sha256_tree(tmp_path / "b" / "ref")
    assert {w.path for w in written} == set(out.glob("*/*.csv"))
    other = national.generate(
        tmp_path / "c" / "inbox", reference_dir=tmp_path / "c" / "ref", **(small | {"seed": 8})
    )
    assert sha256_tree(tmp_path / "c" / "inbox") != sha256_tree(out)
    assert len(other) == len(written)

    wilayah = pl.read_csv(ref / "wilayah_00.csv", infer_schema=False)
    assert wilayah.columns == ["kode", "tingkat", "nama", "kode_kab", "kode_kec", "jenis"]
    assert wilayah["kode"].is_unique().all()
    assert wilayah.row(0) == ("00", "nasional", "Indonesia (sintetis)", None, None, None)
    assert wilayah.filter(pl.col("tingkat") == "provinsi")["kode"].to_list() == ["11", "12"]
    desa = wilayah.filter(pl.col("tingkat") == "desa")
    assert 500 <= desa.height <= 1200
    assert desa["kode"].str.contains(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$").all()
    assert (desa["kode"].str.slice(0, 5) == desa["kode_kab"]).all()
    assert (desa["kode"].str.slice(9, 1) == "1").eq(desa["jenis"] == "kelurahan").all()
    crosswalk = pl.read_csv(ref / "kode_bps_kemendagri_00.csv", infer_schema=False)
    kabs = set(wilayah.filter(pl.col("tingkat") == "kabupaten")["kode"])
    assert kabs <= set(crosswalk["kode_kemendagri"])
    assert crosswalk["kode_bps"].str.contains(r"^\d{4}$").all()
    assert crosswalk["kode_bps"].n_unique() == crosswalk.height

    jenis = dict(zip(desa["kode"], desa["jenis"], strict=True))
    for path in sorted(out.glob("*/*.csv")):
        t = read_sample(path)
        assert t.encoding == "utf-8"
        assert t.delimiter == ","
        assert {r["tahun"] for r in t.rows} <= set(range(2016, 2026))
        if "kode_desa" in t.header:
            codes = {r["kode_desa"] for r in t.rows}
            assert codes <= jenis.keys()
            if t.dataset in DESA_ONLY:
                assert {jenis[c] for c in codes} == {"desa"}, path
        else:
            # Each kab/kota and the province itself (no country-wide row).
            assert {r["kode_wilayah"] for r in t.rows} == {
                k for k in kabs | {"11", "12"} if k.startswith(path.stem[-2:])
            }
        assert {r["sintetis"] for r in t.rows} == {True}
    umkm_years = {p.stem.rsplit("_", 1)[1] for p in (out / "umkm").glob("*.csv")}
    assert umkm_years == {str(y) for y in range(2016, 2026)}
