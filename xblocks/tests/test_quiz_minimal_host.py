"""Tests that the quiz works in a host that configures Django minimally and has no workbench, as Kuza does."""

import subprocess
import sys
import textwrap

# A fresh interpreter: Django can be configured once per process, and this process
# already uses the workbench's settings.
HOST = textwrap.dedent(
    """
    import json, re

    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=[],
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
    )
    django.setup()

    from lxml import etree
    from webob import Request
    from xblock.fields import ScopeIds
    from xblock.runtime import DictKeyValueStore, KvsFieldData
    from xblock.test.tools import TestRuntime

    from kuza_xblocks.quiz.block import QuizBlock

    events = []

    class Host(TestRuntime):
        def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
            return f"/courses/c/xblock/{block.scope_ids.usage_id}/{handler_name}"

        def publish(self, block, event_type, event_data):
            events.append(event_type)

    runtime = Host(services={"field-data": KvsFieldData(DictKeyValueStore())})
    olx = '<kuza_quiz url_name="q" max_attempts="1"><true_false id="t" answer="true"><prompt>P</prompt></true_false></kuza_quiz>'
    block = QuizBlock.parse_xml(etree.fromstring(olx), runtime, ScopeIds(7, "kuza_quiz", "q", "q"))
    page = block.student_view({}).content
    assert 'action="/courses/c/xblock/q/submit"' in page, page
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    request = Request.blank("/", method="POST", POST={"submission": token, "q-t": "true", "csrf_token": "x",
                                                       "return_to": "/courses/c/unit/u1"})
    response = block.handle("submit", request)
    assert (response.status_code, response.location) == (303, "/courses/c/unit/u1"), response
    assert events == ["grade", "kuza.quiz.attempt", "completion"], events
    assert "Attempts used: 1 of 1." in block.student_view({}).content
    studio = block.studio_view({}).content
    assert 'data-field-name="questions"' in studio and "After the last attempt" in studio, studio
    print("host ok")
    """
)


def test_the_quiz_works_in_a_host_with_django_configured_minimally():
    result = subprocess.run([sys.executable, "-c", HOST], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "host ok"
