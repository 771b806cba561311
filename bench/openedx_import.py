"""Import benchmark: an Open edX-style export of about 2,000 blocks into Kuza on SQLite, against a native package of the same size."""
# Run from the repository root: .venv/bin/python bench/openedx_import.py [--blocks N]
# Writes an export the way Open edX Studio does (a file per block: chapters, sequentials,
# verticals, html with its .html file, problems of the five converted CAPA types, and videos
# that stay notices), imports it with `import_openedx` into a fresh SQLite database, then imports
# a native Kuza package with as many blocks as the baseline: the ratio is the conversion's cost.
# Target: under 30 s for 2,000 blocks. Results: docs/performance.md.
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lms import create_app  # noqa: E402
from lms.courseware.packages import import_openedx, import_package  # noqa: E402
from lms.extensions import db  # noqa: E402

PROBLEMS = [
    '<problem display_name="Choice {n}"><multiplechoiceresponse><label>Which is right?</label>'
    '<choicegroup type="MultipleChoice"><choice correct="true">This one<choicehint>Yes.</choicehint></choice>'
    '<choice correct="false">That one</choice></choicegroup></multiplechoiceresponse></problem>',
    '<problem display_name="Boxes {n}"><choiceresponse><label>Which are right?</label><checkboxgroup>'
    '<choice correct="true">A</choice><choice correct="true">B</choice><choice correct="false">C</choice>'
    '</checkboxgroup></choiceresponse></problem>',
    '<problem display_name="Number {n}"><numericalresponse answer="{n}"><label>Type {n}.</label>'
    '<responseparam type="tolerance" default="0.5"/><formulaequationinput/></numericalresponse></problem>',
    '<problem display_name="Text {n}"><stringresponse answer="Kigali" type="ci"><label>Capital of Rwanda?</label>'
    '<textline size="20"/></stringresponse></problem>',
    '<problem display_name="Dropdown {n}"><optionresponse><label>Pick.</label>'
    '<optioninput options="(\'one\',\'two\')" correct="two"/></optionresponse></problem>',
]
LEAVES_PER_UNIT = 6  # four html, one problem, one video


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def open_edx_export(root: Path, blocks: int) -> int:
    """An export of about ``blocks`` blocks, as Studio writes it; returns the exact count."""
    units = max(1, blocks // (LEAVES_PER_UNIT + 1))
    write(root / "course.xml", '<course url_name="2026" org="Bench" course="bench-openedx"/>\n')
    chapters, count = [], 0
    for c in range(max(1, units // 20)):
        sequentials = []
        for s in range(4):
            verticals = []
            for v in range(5):
                unit = f"u{c}-{s}-{v}"
                leaves = []
                for h in range(4):
                    name = f"h{c}-{s}-{v}-{h}"
                    write(root / "html" / f"{name}.xml", f'<html filename="{name}" display_name="Text {h}"/>\n')
                    write(root / "html" / f"{name}.html",
                          f"<p>Lesson {name}: a paragraph with <strong>markup</strong>, an "
                          f'<img src="/static/figure.png" alt="Figure"> and a <a href="https://example.org">link</a>.</p>\n')
                    leaves.append(f'<html url_name="{name}"/>')
                problem = f"p{c}-{s}-{v}"
                template = PROBLEMS[(c + s + v) % len(PROBLEMS)]
                write(root / "problem" / f"{problem}.xml", template.replace("{n}", str(v + 1)) + "\n")
                leaves.append(f'<problem url_name="{problem}"/>')
                video = f"v{c}-{s}-{v}"
                write(root / "video" / f"{video}.xml", f'<video display_name="Video {v}" youtube_id_1_0="x{v}"/>\n')
                leaves.append(f'<video url_name="{video}"/>')
                write(root / "vertical" / f"{unit}.xml", f'<vertical display_name="Unit {v}">{"".join(leaves)}</vertical>\n')
                verticals.append(f'<vertical url_name="{unit}"/>')
                count += 1 + len(leaves)
            write(root / "sequential" / f"s{c}-{s}.xml",
                  f'<sequential display_name="Lesson {s}">{"".join(verticals)}</sequential>\n')
            sequentials.append(f'<sequential url_name="s{c}-{s}"/>')
            count += 1
        write(root / "chapter" / f"c{c}.xml", f'<chapter display_name="Module {c}">{"".join(sequentials)}</chapter>\n')
        chapters.append(f'<chapter url_name="c{c}"/>')
        count += 1
    write(root / "course" / "2026.xml",
          f'<course display_name="Open edX benchmark" language="en">{"".join(chapters)}</course>\n')
    (root / "static").mkdir()
    (root / "static" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return count + 1


def native_package(root: Path, blocks: int) -> None:
    """A Kuza package of about ``blocks`` blocks, Markdown lessons five to a unit: the baseline."""
    units = [f"n{u}" for u in range(max(1, (blocks - 3) // 6))]
    write(root / "course.xml", '<course url_name="2026" org="Bench" course="bench-native"/>\n')
    write(root / "course" / "2026.xml", '<course display_name="Native benchmark" language="en">'
                                         '<chapter url_name="all"/></course>\n')
    write(root / "chapter" / "all.xml", '<chapter display_name="All"><sequential url_name="all-lessons"/></chapter>\n')
    write(root / "sequential" / "all-lessons.xml", '<sequential display_name="All">'
          + "".join(f'<vertical url_name="{u}"/>' for u in units) + "</sequential>\n")
    for unit in units:
        write(root / "vertical" / f"{unit}.xml", f'<vertical display_name="{unit}">' + "".join(
            f'<kuza_markdown url_name="{unit}-{i}" display_name="Lesson {i}">Some **text** for {unit}.</kuza_markdown>'
            for i in range(5)) + "</vertical>\n")


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, default=2000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kuza-bench-") as scratch:
        scratch = Path(scratch)
        app = create_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{scratch / 'bench.sqlite3'}",
                         SECRET_KEY="bench", KUZA_BASE_URL="http://127.0.0.1")
        count = open_edx_export(scratch / "export", arguments.blocks)
        native_package(scratch / "native", count)
        with app.app_context():
            db.create_all()
            native_seconds, native = timed(lambda: import_package(scratch / "native"))
            db.session.commit()
            seconds, (result, report) = timed(lambda: import_openedx(scratch / "export"))
            db.session.commit()
            again, (second, _) = timed(lambda: import_openedx(scratch / "export"))
    assert not result.unchanged and second.unchanged
    print(f"Open edX export: {count} blocks in the export, {result.block_count} stored")
    print(f"  imported {report.count('imported')}, converted {report.count('converted')}, "
          f"not available {report.count('not available')}, unreadable {report.count('unreadable')}")
    print(f"  first import   {seconds:7.2f} s   (target < 30 s: {'met' if seconds < 30 else 'MISSED'})")
    print(f"  same again     {again:7.2f} s   (nothing stored)")
    print(f"native package:  {native.block_count} blocks in {native_seconds:.2f} s")
    print(f"ratio Open edX / native: {seconds / native_seconds:.2f}")


if __name__ == "__main__":
    main()
