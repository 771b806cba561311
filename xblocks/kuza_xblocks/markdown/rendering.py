"""Turns a lesson's Markdown into HTML that is safe to put in a learner's page.

Python-Markdown writes the HTML, then nh3 removes everything outside the allow-list below.
Authors are trusted to write lessons, not to run code in learners' browsers: raw HTML in
the Markdown is allowed through the same allow-list, never around it.
"""

import html
import re
from functools import lru_cache
from collections.abc import Callable
from urllib.parse import urlsplit
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# tables, fenced_code, footnotes: what lesson authors ask for. sane_lists: a list keeps the
# kind it started with and honours its first number, as authors expect; it adds no markup
# beyond ol/ul/li/start. attr_list is left out: it lets authors attach ids, classes and
# arbitrary attributes, which the sanitiser would mostly strip again, so its `{: ...}`
# syntax would silently vanish.
MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "footnotes", "sane_lists")

# The class of the scrolling box each Markdown table is wrapped in (see _ScrollableTables).
TABLE_CLASS = "kuza-markdown-table"

ALLOWED_TAGS = frozenset({
    # Text structure that Markdown produces.
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "br",
    "ul", "ol", "li", "pre", "code", "em", "strong", "a", "img",
    # Tables (the tables extension), with caption for hand-written ones.
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    # Footnotes come in a <div class="footnote">; tables in a scrolling <div>.
    "div", "sup",
    # Inline markup authors write by hand in lessons: abbreviations of institutions,
    # keys to press, chemical formulas, quotations, edits, highlights.
    "abbr", "b", "i", "s", "del", "ins", "sub", "kbd", "mark", "q", "small", "cite",
    "span", "dl", "dt", "dd", "figure", "figcaption",
    # A disclosure ("show the answer") that works without JavaScript.
    "details", "summary",
})

# Removed together with what they contain: their content is code, styling or a nested
# document, never lesson text. Everything else outside ALLOWED_TAGS is unwrapped, keeping
# its text, so a stray unknown tag costs the learner no words.
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "noscript", "template", "object", "svg", "math",
})

ALLOWED_ATTRIBUTES = {
    # id: footnotes and in-page links need them; every id is prefixed per block (see
    # sanitise) so it cannot collide with, or clobber, an id of the host page.
    # lang/dir: a lesson quoting Arabic in French, or the reverse, must mark it.
    "*": {"id", "lang", "dir"},
    # href: http, https, mailto and relative only (URL_SCHEMES); title: Markdown's link title.
    # class: only the footnote classes (ALLOWED_CLASSES).
    "a": {"href", "title", "class"},
    # src: a path on the course's own site only (see _is_local_path); the size attributes
    # let the browser reserve the space before the image arrives on a slow line.
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    # class: fenced code's language-* only, so a later highlighter can find it.
    "code": {"class"},
    # class: the footnote and table boxes only; aria-label names the table's scrolling box.
    "div": {"class", "aria-label"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "details": {"open"},
}

# Attributes kept only with one of these values.
ALLOWED_ATTRIBUTE_VALUES = {
    # The tables extension writes column alignment as align= (not style=, which is banned).
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
    # The table's scrolling box is a named region that keyboard users can focus and scroll.
    "div": {"role": {"region"}, "tabindex": {"0"}},
}

ALLOWED_CLASSES = {
    "a": frozenset({"footnote-ref", "footnote-backref"}),
    "div": frozenset({"footnote", TABLE_CLASS}),
}
_CODE_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")

# Links may leave the site (http, https) or open a mail client; javascript:, data:, vbscript:
# and every other scheme are removed. Relative URLs stay as written: "/static/…" must reach
# the host, which rewrites it to the course's files (Open edX's replace_static_urls).
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Added to every link: a lesson's links must not reach back into the learner's page
# (noopener) nor tell other sites which course the learner reads (noreferrer).
LINK_REL = "noopener noreferrer"

# Images load only when they come near the screen, which saves data on 2G/3G.
FORCED_ATTRIBUTE_VALUES = {"img": {"loading": "lazy"}}

_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})
# Browsers drop these inside URLs, so "/\t/evil.example" is "//evil.example".
_URL_IGNORED_CHARACTERS = re.compile(r"[\t\n\r]")


def render_markdown(text: str, *, id_prefix: str, gettext: Callable[[str], str] = str) -> str:
    """Return safe HTML for the Markdown ``text``.

    ``id_prefix`` is put before every id and in-page link of the result; give each block on a
    page its own. ``gettext`` translates the few strings the renderer adds itself.
    """
    return _rendered(
        text or "", id_prefix, gettext("Jump back to footnote %d in the text"), gettext("Scrollable table")
    )


# Rendering is a pure function of these four strings, and Python-Markdown plus nh3 cost tens of
# milliseconds a lesson: a lesson is rendered once per language, then served from here.
@lru_cache(maxsize=512)
def _rendered(text: str, id_prefix: str, backlink_title: str, table_label: str) -> str:
    return sanitise(_markdown_to_html(text, backlink_title, table_label), id_prefix=id_prefix)


def sanitise(unsafe_html: str, *, id_prefix: str) -> str:
    """Return ``unsafe_html`` reduced to the allow-list, with ids and in-page links prefixed."""

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return _prefixed(value, id_prefix) if value else None
        if attribute == "href" and value.startswith("#") and len(value) > 1:
            return "#" + _prefixed(value[1:], id_prefix)
        if attribute == "src" and tag == "img":
            return value if _is_local_path(value) else None
        if attribute == "class":
            return _allowed_classes(tag, value)
        if attribute == "dir":
            return value.lower() if value.lower() in _DIRECTIONS else None
        return value

    return nh3.clean(
        unsafe_html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=keep_attribute,
        tag_attribute_values={
            tag: {name: set(values) for name, values in attributes.items()}
            for tag, attributes in ALLOWED_ATTRIBUTE_VALUES.items()
        },
        set_tag_attribute_values={
            tag: dict(attributes) for tag, attributes in FORCED_ATTRIBUTE_VALUES.items()
        },
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def plain_text(markdown_text: str) -> str:
    """Return the words of the Markdown ``markdown_text``, without markup (for search indexes)."""
    words = nh3.clean(
        _markdown_to_html(markdown_text or "", "Jump back to footnote %d in the text", "Scrollable table"),
        tags=set(),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
    )
    # Only the whitespace HTML collapses: the no-break spaces of French typography ("60 %", "Score :") stay,
    # so a choice shown as plain text does not break a line before its "%" or ":".
    return HTML_WHITESPACE.sub(" ", html.unescape(words)).strip(" \t\n\r\f")


def _markdown_to_html(text: str, backlink_title: str, table_label: str) -> str:
    # Braces are doubled because the footnotes extension formats this string with
    # str.format after turning "%d" into "{}"; a translation must not break that.
    backlink_title = backlink_title.replace("{", "{{").replace("}", "}}")
    converter = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, _ScrollableTablesExtension(label=table_label)],
        extension_configs={
            "tables": {"use_align_attribute": True},
            # "fn-1" rather than "fn:1": ids stay valid CSS selectors after prefixing.
            "footnotes": {"SEPARATOR": "-", "BACKLINK_TITLE": backlink_title},
        },
        output_format="html",
    )
    return converter.convert(text)


def _prefixed(value: str, prefix: str) -> str:
    return value if value.startswith(prefix) else prefix + value


def _is_local_path(url: str) -> bool:
    """Whether ``url`` points into the site serving the page (a relative URL, no host).

    Images are fetched without a click, so a remote one would cost learners data and tell
    a third party who reads the lesson; the learner page has no third-party origin.
    """
    cleaned = _URL_IGNORED_CHARACTERS.sub("", url).strip().replace("\\", "/")
    if cleaned.startswith("//"):
        return False
    parts = urlsplit(cleaned)
    return not parts.scheme and not parts.netloc


def _allowed_classes(tag: str, value: str) -> str | None:
    if tag == "code":
        kept = [name for name in value.split() if _CODE_LANGUAGE_CLASS.fullmatch(name)]
    else:
        allowed = ALLOWED_CLASSES.get(tag, frozenset())
        kept = [name for name in value.split() if name in allowed]
    return " ".join(kept) or None


class _ScrollableTables(Treeprocessor):
    """Wraps each table in a box that scrolls sideways, so a wide table fits a 320 px screen.

    The box is a labelled region with tabindex=0 so that keyboard users can reach and
    scroll it (WCAG 2.1.1); the label is translated.
    """

    def __init__(self, md: markdown.Markdown, label: str):
        super().__init__(md)
        self.label = label

    def run(self, root: ElementTree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                box = ElementTree.Element(
                    "div",
                    {"class": TABLE_CLASS, "role": "region", "tabindex": "0", "aria-label": self.label},
                )
                box.tail, child.tail = child.tail, None
                box.append(child)
                parent[index] = box


class _ScrollableTablesExtension(Extension):
    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # Priority 5 runs after the footnotes (50) and inline (20) processors, so tables
        # inside footnotes are wrapped too.
        md.treeprocessors.register(_ScrollableTables(md, self.label), "kuza_scrollable_tables", 5)
