"""Fixtures for the block tests: the xblock-sdk workbench runtime, with state kept in memory."""

import gettext
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import django
import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData, NullI18nService

# Speed is measured in bench/, never in tests: a property test on a loaded machine must not fail
# for being slow, so Hypothesis gets no deadline.
hypothesis_settings.register_profile("kuza", deadline=None)
hypothesis_settings.load_profile("kuza")


def _configure_django():
    # The workbench's own settings, minus the two things that touch the disk: its SQLite
    # file and its log file under var/ (the served-workbench test uses the real ones).
    from workbench import settings as workbench_settings

    values = {name: getattr(workbench_settings, name) for name in dir(workbench_settings) if name.isupper()}
    values["DATABASES"] = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    values["LOGGING"] = {"version": 1, "disable_existing_loggers": False}
    settings.configure(**values)
    django.setup()


if not settings.configured:
    _configure_django()

from workbench.runtime import WorkbenchRuntime  # noqa: E402 - needs Django set up first

from kuza_xblocks.markdown.block import MarkdownBlock  # noqa: E402

TRANSLATIONS = resources.files("kuza_xblocks") / "translations"
SOURCE = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def wheel_path(tmp_path_factory) -> Path:
    """The kuza-xblocks wheel, built as an operator builds it from ./xblocks."""
    # Built from a copy: setuptools writes build/ and *.egg-info/ next to the sources.
    copy = tmp_path_factory.mktemp("source") / "xblocks"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", ".*")
    )
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(copy)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("kuza_xblocks-*.whl")
    return built


class CatalogueI18nService(NullI18nService):
    """An i18n service that reads the block package's own `text` catalogue, as Open edX does."""

    def __init__(self, language):
        super().__init__()
        self._translations = gettext.translation("text", localedir=str(TRANSLATIONS), languages=[language])


class MemoryWorkbenchRuntime(WorkbenchRuntime):
    """The workbench runtime with field data in a dict and a chosen i18n service.

    The stock runtime keeps field data in the workbench's database; tests need neither
    the database nor a server.
    """

    def __init__(self, i18n=None):
        super().__init__(user_id="learner-1")
        self._overrides = {"field-data": KvsFieldData(DictKeyValueStore())}
        if i18n is not None:
            self._overrides["i18n"] = i18n

    def service(self, block, service_name):
        service = super().service(block, service_name)  # keeps the needs/wants checks
        return self._overrides.get(service_name, service)


@pytest.fixture
def runtime():
    return MemoryWorkbenchRuntime()


@pytest.fixture
def french_runtime():
    return MemoryWorkbenchRuntime(i18n=CatalogueI18nService("fr"))


@pytest.fixture
def runtime_in():
    """Make an in-memory runtime whose i18n service reads the block package's catalogue for a language."""
    return lambda language: MemoryWorkbenchRuntime(i18n=CatalogueI18nService(language))


def _new_keys(runtime, block_type="kuza_markdown"):
    definition_id = runtime.id_generator.create_definition(block_type)
    usage_id = runtime.id_generator.create_usage(definition_id)
    return ScopeIds("learner-1", block_type, definition_id, usage_id)


@pytest.fixture
def new_keys():
    """Make fresh ScopeIds on a runtime, as a host does for each block it loads."""
    return _new_keys


@pytest.fixture
def make_block(runtime):
    """Build a MarkdownBlock on the given runtime (the in-memory English one by default)."""

    def make(on_runtime=None, **fields):
        target = on_runtime or runtime
        block = target.construct_xblock_from_class(MarkdownBlock, _new_keys(target))
        for name, value in fields.items():
            setattr(block, name, value)
        return block

    return make
