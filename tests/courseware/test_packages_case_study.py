"""Course packages with case studies: imported, rendered in a unit, completed on view, exported; a bad case refused with file and line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.catalog import services as catalog
from lms.catalog.models import Course
from lms.courseware.models import Completion
from lms.courseware.packages import export_package, import_package
from lms.extensions import db
from tests.courseware.test_packages import FIXTURE, SLUG, olx_errors, rejected
from tests.factories import make_user, sign_in

UNIT_URL = f"/courses/{SLUG}/learn/v-case"

# A real case (UN Public Service Awards 2021), as an author writes it in a unit of its own.
CASE = """<vertical display_name="A practice from Kenya">
  <kuza_case_study url_name="ke-output-based-aid" display_name="Output-Based Aid: water and sanitation for low-income areas" institution="Water Sector Trust Fund" country="KEN" region="african" level="national" sdgs="6" xblock-family="xblock.v1">
    <award name="UN Public Service Awards" category="Enhancing the effectiveness of public institutions to reach the SDGs" year="2021"/>
    <problem>
Low-income households could not afford the materials for water and sewer connections [1].
    </problem>
    <innovation>Commercial banks pre-finance water projects in low-income areas, with a **60%** subsidy on the loan [1].</innovation>
    <results>120,500 residents gained access to clean water and sanitation [1].</results>
    <sources>
      <source title="United Nations Public Service Award Winners 2021: Output-based Aid Programme" publisher="UN DESA, UNPSA database" year="2021" url="https://publicadministration.un.org/unpsa/database/Winners/2021-winners/output-based_aid"/>
      <source title="The Water Services Trust Fund in Kenya" publisher="Centre for Public Impact" year="2017" url="https://www.centreforpublicimpact.org/case-study/the-water-services-trust-fund-in-kenya"/>
    </sources>
  </kuza_case_study>
</vertical>
"""


def package_with(tmp_path: Path, unit: str) -> Path:
    """The fixture package with one more unit, ``unit``, at vertical/v-case.xml."""
    package = tmp_path / "package"
    shutil.copytree(FIXTURE, package)
    sequential = package / "sequential" / "seq-one.xml"
    sequential.write_text(sequential.read_text().replace("</sequential>", '  <vertical url_name="v-case"/>\n</sequential>'))
    (package / "vertical" / "v-case.xml").write_text(unit)
    return package


@pytest.fixture
def reader(db_session, client, tmp_path):
    """A learner enrolled in the imported package, signed in; ``locale`` sets their language."""
    import_package(package_with(tmp_path, CASE))

    def sign_in_as(locale: str | None = None):
        learner = make_user()
        learner.locale = locale
        catalog.enroll(learner, db.session.execute(select(Course).where(Course.slug == SLUG)).scalar_one())
        db.session.commit()
        sign_in(client, learner)
        return learner

    return sign_in_as


def completion_of(learner, usage_id: str) -> float | None:
    return db.session.execute(
        select(Completion.completion).filter_by(user_id=learner.id, usage_id=usage_id)
    ).scalar_one_or_none()


def test_the_unit_shows_the_case_and_completes_it_on_view(client, reader):
    learner = reader()
    assert completion_of(learner, "ke-output-based-aid") is None
    page = client.get(UNIT_URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-block-type="kuza_case_study"' in html
    assert 'dir="auto">Output-Based Aid: water and sanitation for low-income areas</h2>' in html
    assert '<bdi lang="en">Kenya</bdi>' in html
    assert '<dd lang="en" dir="auto">SDG 6: Clean water and sanitation</dd>' in html
    assert "<strong>60%</strong>" in html and ">Results and evidence</h3>" in html
    assert ('<a href="https://www.centreforpublicimpact.org/case-study/the-water-services-trust-fund-in-kenya" '
            'rel="noopener noreferrer"') in html
    assert ".kuza-case{" in html  # the block's CSS, inline
    assert completion_of(learner, "ke-output-based-aid") == 1.0


def test_the_case_speaks_the_learners_language(client, reader):
    reader("fr")
    html = client.get(UNIT_URL).get_data(as_text=True)
    assert '<bdi lang="fr">Kenya</bdi>' in html and '<dd lang="fr" dir="auto">Groupe des États d’Afrique</dd>' in html
    assert '<dd lang="fr" dir="auto">ODD 6\u00a0: Eau propre et assainissement</dd>' in html
    assert '" lang="fr" dir="auto">Le problème</h3>' in html


def test_the_case_in_arabic_names_the_country_in_arabic(client, reader):
    reader("ar")
    html = client.get(UNIT_URL).get_data(as_text=True)
    # The block's own words say they are Arabic, inside a unit marked as the course's French.
    assert '<article class="unit" lang="fr" dir="auto">' in html
    assert '<bdi lang="ar">كينيا</bdi>' in html and '" lang="ar" dir="auto">المصادر</h3>' in html


def test_a_case_round_trips_through_import_and_export(db_session, tmp_path):
    first = import_package(package_with(tmp_path, CASE))
    export_package(SLUG, tmp_path / "export")
    exported = (tmp_path / "export" / "vertical" / "v-case.xml").read_text()
    assert '<kuza_case_study url_name="ke-output-based-aid"' in exported and 'country="KEN"' in exported
    assert "<problem>Low-income households" in exported or "<problem>\nLow-income households" in exported
    policy = (tmp_path / "export" / "policies" / "2026" / "policy.json").read_text()
    assert '"kuza_case_study"' in policy
    assert olx_errors(tmp_path / "export") == []
    again = import_package(tmp_path / "export")
    assert again.block_count == first.block_count and again.unchanged is False


@pytest.mark.parametrize(("change", "marker", "reason"), [
    ((' display_name="Output-Based Aid: water and sanitation for low-income areas"', ""), "<kuza_case_study",
     "it has no title"),
    (('country="KEN"', 'country="KNY"'), "<kuza_case_study", 'country "KNY" is not an ISO 3166-1 country code'),
    (('sdgs="6"', 'sdgs="6 19"'), "<kuza_case_study", 'sdgs "19" is not a Sustainable Development Goal'),
    (('year="2021"/>', 'year="21"/>'), "<award", '<award> year "21" is not a year'),
    (('url="https://www.centreforpublicimpact.org/', 'url="www.centreforpublicimpact.org/'),
     '<source title="The Water', "is not a web address"),
    ((' url="https://publicadministration.un.org/unpsa/database/Winners/2021-winners/output-based_aid"', ""),
     '<source title="United Nations', "<source> has no url"),
])
def test_a_bad_case_is_refused_with_file_line_and_reason(db_session, tmp_path, change, marker, reason):
    broken = CASE.replace(*change)
    assert broken != CASE
    problems = rejected(package_with(tmp_path, broken))
    line = broken[: broken.index(marker)].count("\n") + 1
    assert problems == [problems[0]] and problems[0].startswith(f"vertical/v-case.xml:{line}: ")
    assert '<kuza_case_study url_name="ke-output-based-aid">: ' in problems[0] and reason in problems[0]


def test_a_case_without_sources_is_refused(db_session, tmp_path):
    start, end = CASE.index("    <sources>"), CASE.index("</sources>\n") + len("</sources>\n")
    problems = rejected(package_with(tmp_path, CASE[:start] + CASE[end:]))
    assert problems == ['vertical/v-case.xml:2: <kuza_case_study url_name="ke-output-based-aid">: it has no sources: '
                        'add <sources> with at least one <source title="..." url="..."/>.']


def test_kuza_import_course_prints_the_file_and_line_of_a_bad_case(app, db_session, tmp_path):
    package = package_with(tmp_path, CASE.replace('country="KEN"', 'country="Kenya"'))
    result = app.test_cli_runner().invoke(args=["import-course", str(package)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Rejected {package}: nothing was stored.\n"
        '  vertical/v-case.xml:2: <kuza_case_study url_name="ke-output-based-aid">: country "Kenya" is not an ISO '
        "3166-1 country code; write the two-letter (SN) or three-letter (SEN) code of the country.\n"
    )
