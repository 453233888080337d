"""The README and docs/: the folder map matches the tree, links resolve, nothing points outside
the project, and the parts generated from pipelines/contracts are current."""

import re
import subprocess
from pathlib import Path

import pytest

from pipelines.contracts import docs
from pipelines.contracts.catalogue import published_catalogue
from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.kpis import KPIS
from pipelines.warehouse.publish import PUBLISHED
from tests.conftest import REPO

README = REPO / "README.md"


def documents() -> list[Path]:
    return [README, REPO / "CHANGELOG.md", *sorted((REPO / "docs").glob("*.md"))]


def tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True)
    return [name for name in out.stdout.splitlines() if (REPO / name).exists()]


def code_block_after(text: str, heading: str) -> str:
    section = text.split(f"\n## {heading}\n", 1)[1]
    return section.split("```", 2)[1]


def folder_map(readme: str) -> set[str]:
    """The folders the README's map names: `name/` at the start of an entry, nested entries
    (indented) under the last top-level one."""
    named, parent = set(), ""
    for line in code_block_after(readme, "Folder map").splitlines():
        match = re.match(r"^( *)([\w.]+(?:/[\w.]+)*/)", line)
        if not match:
            continue
        indent, path = match.groups()
        if indent:
            named.add(parent + path)
        else:
            parent = path
            parts = path.rstrip("/").split("/")  # data/reference/ names data/ too
            named.update("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
    return named


def test_the_folder_map_lists_every_folder_and_package_and_no_other():
    files = tracked()
    top = {name.split("/")[0] + "/" for name in files if "/" in name}
    packages = {
        str(Path(name).parent) + "/"
        for name in files
        if name.startswith(("pipelines/", "dashboards/")) and name.endswith(".py")
    } - {"pipelines/", "dashboards/"}
    named = folder_map(README.read_text(encoding="utf-8"))
    assert top - named == set(), "top-level folders missing from the map"
    assert packages - named == set(), "packages missing from the map"
    assert [p for p in sorted(named) if not (REPO / p).is_dir()] == []


def test_the_folder_map_names_every_top_level_file():
    block = code_block_after(README.read_text(encoding="utf-8"), "Folder map")
    top_files = {name for name in tracked() if "/" not in name and not name.startswith(".")}
    assert {name for name in top_files if name not in block} == set()


def test_the_readme_gives_the_command_ci_runs():
    ci = [
        line.strip()
        for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    command = ci[-1]  # .ci/run ends with the test command
    readme = README.read_text(encoding="utf-8")
    first_block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    assert command in [line.split("#")[0].strip() for line in first_block.splitlines()]


# The project's clone holds no contracts folder of another repository: a document names only
# files that exist here.
OUTSIDE = re.compile(r"\.\./shared|/work/shared|\bshared/|\bspec/")
MARKDOWN_NAME = re.compile(r"[\w./-]*\b[\w-]+\.md\b")


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_nothing_points_outside_the_project(path):
    text = path.read_text(encoding="utf-8")
    assert OUTSIDE.findall(text) == []
    ours = {Path(name).name for name in tracked() if name.endswith(".md")}
    ours |= {p.name for p in documents()}
    assert sorted({Path(m).name for m in MARKDOWN_NAME.findall(text)} - ours) == []


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text, fence, found = path.read_text(encoding="utf-8"), False, set()
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and (m := re.match(r"^#{1,6} (.+)$", line)):
            found.add(slug(m[1]))
    return found


LINK = re.compile(r"\]\(([^)\s]*)\)")


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_every_relative_link_resolves(path):
    broken = []
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        missing_anchor = anchor and resolved.suffix == ".md" and anchor not in anchors(resolved)
        if not resolved.exists() or missing_anchor:
            broken.append(target)
    assert broken == []


def test_generated_parts_are_current():
    found = {}
    for path in docs.DOCS:
        text = path.read_text(encoding="utf-8")
        found.update(docs.sections_in(text))
        assert docs.regenerate(text) == text, f"{path.name}: run python -m pipelines.contracts.docs"
    assert set(found) == set(docs.SECTIONS)


def test_every_dataset_and_kpi_is_documented():
    contracts = (REPO / "docs" / "contracts.md").read_text(encoding="utf-8")
    guide = (REPO / "docs" / "petugas-data.md").read_text(encoding="utf-8")
    assert [d for d in DATASETS if f"`{d}`" not in contracts or f"`{d}/`" not in guide] == []
    assert [k.kpi_id for k in KPIS if f"`{k.kpi_id}`" not in contracts] == []


def test_every_published_table_is_documented():
    text = (REPO / "docs" / "contracts.md").read_text(encoding="utf-8")
    section = text.split("\n## The published snapshot\n", 1)[1].split("\n## ", 1)[0]
    tables = {t.name for t in PUBLISHED} | set(published_catalogue()) | {"snapshot_info"}
    assert sorted(t for t in tables if f"`{t}`" not in section) == []


CODE_ROOMS = ("pipelines", "dashboards", "laporan", "pengguna", "benchmarks", "tests")
MARKDOWN_IN_CODE = re.compile(r"[\w./-]*\b[\w-]+\.md\b(?!\()")  # not a call: MetadataValue.md(


def test_code_comments_point_only_to_the_project_s_own_documents():
    """A comment citing a contract names the project's docs, never a file a clone lacks."""
    ours = {Path(name).name for name in tracked() if name.endswith(".md")}
    found = []
    for room in CODE_ROOMS:
        for path in sorted((REPO / room).rglob("*.py")):
            if path.name == "test_docs.py":
                continue
            text = path.read_text(encoding="utf-8")
            names = {Path(m).name for m in MARKDOWN_IN_CODE.findall(text)} - ours
            found += [f"{path.relative_to(REPO)}: {n}" for n in sorted(names)]
            found += [f"{path.relative_to(REPO)}: {m}" for m in OUTSIDE.findall(text)]
    assert found == []
