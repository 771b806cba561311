"""Tests the blocks served by xblock-sdk's workbench over HTTP, as a developer would try them: in a fresh
environment that holds only the kuza-xblocks wheel and xblock-sdk (and what those two require)."""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from lxml import etree

from kuza_xblocks.case_study.block import CaseStudyBlock
from kuza_xblocks.markdown.block import MarkdownBlock
from kuza_xblocks.quiz.block import QuizBlock
from kuza_xblocks.reflection.block import ReflectionBlock

STARTUP_TIMEOUT = 90
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
# What the fresh environment holds, run in it: where kuza_xblocks comes from, whether Kuza's server or any test
# tool could be imported there, and every distribution installed.
PROBE = """
import importlib.metadata, importlib.util, json, kuza_xblocks
print(json.dumps({
    "kuza_xblocks": kuza_xblocks.__file__,
    "importable": [name for name in ("lms", "flask", "pytest", "hypothesis", "babel")
                   if importlib.util.find_spec(name)],
    "installed": sorted(d.metadata["Name"].lower() for d in importlib.metadata.distributions()),
}))
"""
# Nothing of this environment reaches the fresh one: no PYTHONPATH leading to other packages.
FRESH_ENV = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV")}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url):
    """(status, body) of a GET, without raising on 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - a local server
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def sdk_requirement():
    """xblock-sdk as this package's test extra requires it."""
    with PYPROJECT.open("rb") as file:
        extra = tomllib.load(file)["project"]["optional-dependencies"]["test"]
    (requirement,) = [line for line in extra if line.startswith("xblock-sdk")]
    return requirement


@pytest.fixture(scope="module")
def fresh_python(wheel_path, tmp_path_factory):
    """The Python of a new virtual environment holding the built wheel and xblock-sdk, installed plainly."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run(
        # --no-compile: Python compiles what the workbench imports as it imports it, not all of Django ahead.
        [python, "-m", "pip", "install", "--quiet", "--no-compile", str(wheel_path), sdk_requirement()],
        env=FRESH_ENV, capture_output=True, text=True, timeout=900,
    )
    assert install.returncode == 0, install.stderr[-4000:]
    return python


@pytest.fixture(scope="module")
def workbench(fresh_python, tmp_path_factory):
    """A workbench run by the fresh environment on a free local port, in a folder of its own; stopped after the
    tests."""
    folder = tmp_path_factory.mktemp("workbench")
    (folder / "var").mkdir()  # the workbench's SQLite file and log live in var/
    env = {**FRESH_ENV, "DJANGO_SETTINGS_MODULE": "workbench.settings"}
    django = [str(fresh_python), "-m", "django"]
    subprocess.run(
        [*django, "migrate", "--run-syncdb"], cwd=folder, env=env, check=True, capture_output=True, timeout=300
    )
    port = free_port()
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"the workbench exited with {server.returncode}:\n{(folder / 'server.log').read_text()}")
            try:
                # Refused at once until the server listens; once it does, the first page
                # loads every XBlock class and scenario, which takes a while on a busy machine.
                with urllib.request.urlopen(base + "/", timeout=STARTUP_TIMEOUT):  # noqa: S310 - a local server
                    break
            except OSError:  # refused, reset or timed out: not up yet
                if time.monotonic() > deadline:
                    pytest.fail(f"the workbench did not answer in {STARTUP_TIMEOUT}s")
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


def test_the_workbench_runs_in_an_environment_of_the_wheel_and_xblock_sdk_alone(fresh_python, tmp_path):
    probe = subprocess.run(
        [fresh_python, "-c", PROBE], cwd=tmp_path, env=FRESH_ENV, capture_output=True, text=True, timeout=120
    )
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    # The installed copy, not the sources beside these tests.
    assert Path(found["kuza_xblocks"]).is_relative_to(fresh_python.parents[1]), found["kuza_xblocks"]
    assert found["importable"] == []
    assert {"kuza-xblocks", "xblock-sdk", "xblock"} <= set(found["installed"])
    assert not {"kuza-lms", "flask", "pytest"} & set(found["installed"])


def listed_scenario_ids(workbench, block_type):
    """The ids of ``block_type``'s scenarios that the workbench's index links to, in number order."""
    status, index = get(workbench + "/")
    assert status == 200
    return sorted(
        set(re.findall(rf'href="/scenario/({block_type}\.\d+)/"', index)), key=lambda name: int(name.split(".")[1])
    )


@pytest.fixture(scope="module")
def scenario_ids(workbench):
    return listed_scenario_ids(workbench, "kuza_markdown")


def rendered_block(page):
    """The part of a workbench page that the block rendered; the rest shows the scenario's source."""
    start = page.index('<div class="preview student_view">')
    return page[start : page.index('<section class="debug">', start)]


def expected_heading(olx):
    """The first Markdown heading of a scenario, as the HTML the block should render for it."""
    text = etree.fromstring(olx.encode()).text or ""
    match = re.search(r"^(#{1,6}) (.+)$", text, re.M)
    if not match:
        return None
    level = len(match.group(1))
    return f"<h{level}>{match.group(2).replace('&', '&amp;')}</h{level}>"


def test_workbench_lists_every_kuza_markdown_scenario(scenario_ids):
    assert scenario_ids == [f"kuza_markdown.{i}" for i in range(len(MarkdownBlock.workbench_scenarios()))]


def test_every_scenario_renders_for_learners(workbench, scenario_ids):
    for scenario_id, (title, olx) in zip(scenario_ids, MarkdownBlock.workbench_scenarios(), strict=True):
        status, page = get(f"{workbench}/scenario/{scenario_id}/")
        assert status == 200, (title, page[:2000])
        assert "Traceback" not in page, title
        block = rendered_block(page)
        assert '<div class="kuza-markdown" dir="auto">' in block, title
        assert ".kuza-markdown{" in page, f"{title}: the CSS is not inline"
        heading = expected_heading(olx)
        if heading:
            assert heading in block, title
        else:
            assert "This lesson has no content yet." in block, title


def test_every_scenario_opens_in_the_studio_editor(workbench, scenario_ids):
    for scenario_id, (title, olx) in zip(scenario_ids, MarkdownBlock.workbench_scenarios(), strict=True):
        status, page = get(f"{workbench}/scenario/{scenario_id}/studio_view/")
        assert status == 200, (title, page[:2000])
        assert "Traceback" not in page, title
        assert 'data-field-name="display_name"' in page, title
        assert 'id="xb-field-edit-markdown"' in page, title
        display_name = etree.fromstring(olx.encode()).get("display_name")
        assert f'value="{display_name}"' in page.replace("&#x27;", "'").replace("&#39;", "'"), title


def hostile_scenario_id(scenario_ids):
    titles = [title for title, _ in MarkdownBlock.workbench_scenarios()]
    return scenario_ids[titles.index("Kuza Markdown: hostile content rendered inert")]


def test_hostile_scenario_is_inert_for_learners(workbench, scenario_ids):
    status, page = get(f"{workbench}/scenario/{hostile_scenario_id(scenario_ids)}/")
    assert status == 200
    block = rendered_block(page)
    assert "<h1>This lesson tries to run code</h1>" in block
    assert "alert(" not in block
    assert not re.search(r"""(?i)\b(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):""", block)
    assert "A javascript: link" in block  # the link text stays, only its target goes
    assert "data:text/html" not in block
    assert "<iframe" not in block and "onerror" not in block and "onclick" not in block
    assert "position:fixed" not in block
    assert '<img src="x" loading="lazy">' in block
    assert "A paragraph with a style and a handler." in block


def test_hostile_scenario_shows_its_source_as_text_in_the_editor(workbench, scenario_ids):
    status, page = get(f"{workbench}/scenario/{hostile_scenario_id(scenario_ids)}/studio_view/")
    assert status == 200
    editor = rendered_block(page)
    assert "&lt;script&gt;alert(" in editor
    assert "<script>alert(" not in editor and "<iframe" not in editor


# kuza_quiz: every scenario renders for learners and in the editor, and a submission goes
# through the served handler as a browser sends it, with and without JavaScript.


@pytest.fixture(scope="module")
def quiz_scenario_ids(workbench):
    return listed_scenario_ids(workbench, "kuza_quiz")


def test_workbench_lists_every_kuza_quiz_scenario(quiz_scenario_ids):
    assert quiz_scenario_ids == [f"kuza_quiz.{i}" for i in range(len(QuizBlock.workbench_scenarios()))]


def test_every_quiz_scenario_renders_for_learners_without_answers(workbench, quiz_scenario_ids):
    for scenario_id, (title, olx) in zip(quiz_scenario_ids, QuizBlock.workbench_scenarios(), strict=True):
        status, page = get(f"{workbench}/scenario/{scenario_id}/")
        assert status == 200, (title, page[:2000])
        assert "Traceback" not in page, title
        block = rendered_block(page)
        assert '<div class="kuza-quiz"' in block, title
        assert '<form method="post" action="/handler/' in block, title
        assert ".kuza-quiz{" in page and "KuzaQuizInit" in page, f"{title}: the CSS or JavaScript is not inline"
        quiz = etree.fromstring(olx.encode())
        assert quiz.get("display_name").replace("'", "&#39;") in block, title
        for prompt in quiz.iter("prompt"):
            assert prompt.text.split("**")[0].replace("&", "&amp;")[:30] in block, title
        for explanation in quiz.iter("explanation"):
            assert explanation.text[:30] not in block, title
        assert "(correct answer)" not in block and "kuza-quiz-status" not in block, title


def test_every_quiz_scenario_opens_in_the_studio_editor(workbench, quiz_scenario_ids):
    for scenario_id, (title, olx) in zip(quiz_scenario_ids, QuizBlock.workbench_scenarios(), strict=True):
        status, page = get(f"{workbench}/scenario/{scenario_id}/studio_view/")
        assert status == 200, (title, page[:2000])
        assert "Traceback" not in page, title
        for name in ("display_name", "mode", "max_attempts", "pass_mark", "show_answers", "questions"):
            assert f'data-field-name="{name}"' in page, (title, name)
        display_name = etree.fromstring(olx.encode()).get("display_name")
        assert f'value="{display_name}"' in page.replace("&#x27;", "'").replace("&#39;", "'"), title


def browser():
    """An opener that keeps cookies, as a browser does (the handler needs Django's CSRF cookie)."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def quiz_form(page):
    block = rendered_block(page)
    action = re.search(r'<form method="post" action="([^"]+)"', block).group(1).replace("&amp;", "&")
    token = re.search(r'name="submission" value="([^"]+)"', block).group(1)
    return action, token


def test_a_quiz_submitted_with_javascript_answers_json(workbench):
    titles = [title for title, _ in QuizBlock.workbench_scenarios()]
    scenario = f"kuza_quiz.{titles.index('Kuza quiz: true or false')}"
    opener, jar = browser()
    url = f"{workbench}/scenario/{scenario}/?student=quiz-json"
    page = opener.open(url, timeout=120).read().decode()
    action, token = quiz_form(page)
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    body = json.dumps({"submission": token, "responses": {"q-transfer": ["false"]}}).encode()
    request = urllib.request.Request(
        workbench + action,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf, "Referer": url},
    )
    with opener.open(request, timeout=120) as response:  # noqa: S310 - a local server
        assert response.status == 200
        answer = json.loads(response.read())
    assert answer["result"]["earned"] == 1.0 and answer["result"]["attempts_used"] == 1
    assert "Your result" in answer["html"] and "Right: it must be adapted first." in answer["html"]
    # The attempt is in the learner's state: the page shows it on the next visit.
    assert "Attempts used: 1." in rendered_block(opener.open(url, timeout=120).read().decode())


def test_a_quiz_submitted_without_javascript_redirects_back_to_the_page(workbench):
    titles = [title for title, _ in QuizBlock.workbench_scenarios()]
    scenario = f"kuza_quiz.{titles.index('Kuza quiz: single choice')}"
    opener, jar = browser()
    url = f"{workbench}/scenario/{scenario}/?student=quiz-form"
    page = opener.open(url, timeout=120).read().decode()
    action, token = quiz_form(page)
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    # Open edX's Django reads the token from the form; Kuza adds its own field the same way.
    form = urllib.parse.urlencode({"submission": token, "q-awards": "0", "csrfmiddlewaretoken": csrf}).encode()
    request = urllib.request.Request(workbench + action, data=form, method="POST", headers={"Referer": url})
    with opener.open(request, timeout=120) as response:  # noqa: S310 - follows the 303 to the page
        assert response.url == url
        block = rendered_block(response.read().decode())
    assert "Your result" in block and "Attempts used: 1." in block


# kuza_case_study: every scenario renders for learners, with its title, country and sources,
# and opens in the editor.


@pytest.fixture(scope="module")
def case_scenario_ids(workbench):
    return listed_scenario_ids(workbench, "kuza_case_study")


def test_workbench_lists_every_kuza_case_study_scenario(case_scenario_ids):
    assert case_scenario_ids == [f"kuza_case_study.{i}" for i in range(len(CaseStudyBlock.workbench_scenarios()))]


def test_every_case_study_scenario_renders_for_learners(workbench, case_scenario_ids):
    for scenario_id, (title, olx) in zip(case_scenario_ids, CaseStudyBlock.workbench_scenarios(), strict=True):
        status, page = get(f"{workbench}/scenario/{scenario_id}/")
        assert status == 200, (title, page[:2000])
        assert "Traceback" not in page, title
        block = rendered_block(page)
        case = etree.fromstring(olx.encode())
        assert '<article class="kuza-case"' in block, title
        assert ".kuza-case{" in page and ".kuza-markdown{" in page, f"{title}: the CSS is not inline"
        assert f'dir="auto">{case.get("display_name")}</h2>' in block, title
        assert ">The innovation</h3>" in block and ">Sources</h3>" in block, title
        for source in case.iter("source"):
            assert f'<a href="{source.get("url").replace("&", "&amp;")}" rel="noopener noreferrer"' in block, title
        article = block[block.index('<article class="kuza-case"'):block.index("</article>")]
        assert "<script" not in article, title


def test_every_case_study_scenario_opens_in_the_studio_editor(workbench, case_scenario_ids):
    for scenario_id, (title, olx) in zip(case_scenario_ids, CaseStudyBlock.workbench_scenarios(), strict=True):
        status, page = get(f"{workbench}/scenario/{scenario_id}/studio_view/")
        assert status == 200, (title, page[:2000])
        assert "Traceback" not in page, title
        for name in ("display_name", "country", "region", "level", "sdgs", "problem", "sources"):
            assert f'data-field-name="{name}"' in page, (title, name)


# kuza_reflection: every scenario renders for learners and in the editor, and a plan goes
# through the served handler as a browser without JavaScript sends it.


@pytest.fixture(scope="module")
def plan_scenario_ids(workbench):
    return listed_scenario_ids(workbench, "kuza_reflection")


def test_every_plan_scenario_renders_for_learners_and_in_the_editor(workbench, plan_scenario_ids):
    scenarios = ReflectionBlock.workbench_scenarios()
    assert plan_scenario_ids == [f"kuza_reflection.{i}" for i in range(len(scenarios))]
    for scenario_id, (title, olx) in zip(plan_scenario_ids, scenarios, strict=True):
        status, page = get(f"{workbench}/scenario/{scenario_id}/")
        assert status == 200 and "Traceback" not in page, (title, page[:2000])
        block = rendered_block(page)
        assert '<form method="post" action="/handler/' in block and "<textarea" in block, title
        assert ".kuza-reflection{" in page, f"{title}: the CSS is not inline"
        for prompt in etree.fromstring(olx.encode()).iter("prompt"):
            assert prompt.text.replace("'", "&#39;") in block, title
        status, page = get(f"{workbench}/scenario/{scenario_id}/studio_view/")
        assert status == 200 and "Traceback" not in page, (title, page[:2000])
        assert 'data-field-name="prompts"' in page, title


def test_a_plan_submitted_without_javascript_redirects_back_with_version_1(workbench):
    titles = [title for title, _ in ReflectionBlock.workbench_scenarios()]
    scenario = f"kuza_reflection.{titles.index('Kuza adaptation plan: un plan en français')}"
    opener, jar = browser()
    url = f"{workbench}/scenario/{scenario}/?student=plan-form"
    block = rendered_block(opener.open(url, timeout=120).read().decode())
    action = re.search(r'<form method="post" action="([^"]+)"', block).group(1).replace("&amp;", "&")
    token = re.search(r'name="submission" value="([^"]+)"', block).group(1)
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode({
        "action": "submit", "submission": token, "answer-probleme": "Les files d'attente.",
        "answer-etapes": "Compter.", "csrfmiddlewaretoken": csrf,
    }).encode()
    request = urllib.request.Request(workbench + action, data=form, method="POST", headers={"Referer": url})
    with opener.open(request, timeout=120) as response:  # noqa: S310 - follows the 303 to the page
        assert response.url == url
        block = rendered_block(response.read().decode())
    assert "Version 1, submitted on" in block and "Les files d&#39;attente." in block
