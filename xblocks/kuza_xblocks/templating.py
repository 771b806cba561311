"""Renders a block package's templates with Jinja2, autoescaped, outside Flask and Django."""

from functools import cache

import jinja2


@cache
def _environment(package: str) -> jinja2.Environment:
    # One environment per block package: the loader reads that package's templates/
    # through importlib, so it works from a wheel as well as from a source tree.
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(package: str, name: str, **context) -> str:
    """Render ``templates/<name>`` of ``package`` with ``context``."""
    return _environment(package).get_template(name).render(**context)
