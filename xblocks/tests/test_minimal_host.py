"""Tests that the block works in a host that configures Django minimally, as Kuza does."""

import subprocess
import sys
import textwrap

# Run in a fresh interpreter: Django can be configured once per process, and this process
# already uses the workbench's settings.
HOST = textwrap.dedent(
    """
    import django
    from django.conf import settings

    # What a non-Django host such as Kuza configures: no apps, no database, templates only.
    settings.configure(
        INSTALLED_APPS=[],
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
    )
    django.setup()

    from xblock.fields import ScopeIds
    from xblock.runtime import DictKeyValueStore, KvsFieldData
    from xblock.test.tools import TestRuntime

    from kuza_xblocks.markdown.block import MarkdownBlock

    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    block = runtime.construct_xblock_from_class(MarkdownBlock, ScopeIds("u", "kuza_markdown", "d", "u1"))
    block.markdown = "# Hello & welcome\\n\\n<script>alert(1)</script>"
    student = block.student_view({}).content
    studio = block.studio_view({}).content
    assert "<h1>Hello &amp; welcome</h1>" in student, student
    assert "<script" not in student, student
    assert 'data-field-name="markdown"' in studio, studio
    print("host ok")
    """
)


def test_views_render_in_a_host_with_django_configured_minimally():
    result = subprocess.run([sys.executable, "-c", HOST], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "host ok"
