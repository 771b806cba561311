"""Tests for turning Markdown into safe HTML: what authors get, and what attackers do not."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuza_xblocks.markdown.rendering import TABLE_CLASS, plain_text, render_markdown, sanitise

PREFIX = "kzt-"


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)


class ElementCollector(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append(Element(tag, attrs))

    handle_startendtag = handle_starttag


def elements(html):
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


def render(text):
    return render_markdown(text, id_prefix=PREFIX)


def assert_inert(html):
    """No element or attribute in ``html`` can run code, load a frame or restyle the page."""
    for element in elements(html):
        assert element.tag not in {"script", "iframe", "object", "embed", "style", "svg", "math", "form", "base"}
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            assert name != "style", element.tag
            if name in {"href", "src", "cite", "action", "formaction", "data"} and value:
                # What a browser would do with the URL: drop tabs and newlines, ignore case.
                url = re.sub(r"[\t\n\r]", "", value).strip().lower()
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", url)
                assert scheme is None or scheme.group(1) in {"http", "https", "mailto"}, (name, value)


# What authors write ---------------------------------------------------------------------


def test_headings_emphasis_and_links_render():
    html = render("# Title\n\nSome **bold** and *italic* text with [a link](https://example.org).")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">a link</a>' in html


def test_table_keeps_alignment_without_style_and_scrolls_in_a_named_region():
    html = render("| Country | Days |\n|:--|--:|\n| Rwanda | 2 |")
    (box,) = [e for e in elements(html) if e.tag == "div"]
    assert box.attrs == {"class": TABLE_CLASS, "role": "region", "tabindex": "0", "aria-label": "Scrollable table"}
    assert '<th align="left">Country</th>' in html
    assert '<td align="right">2</td>' in html
    assert "style" not in html
    assert re.search(r'<div [^>]*class="kuza-markdown-table"[^>]*><table>.*</table></div>', html, re.S)


def test_footnote_links_and_ids_match_and_carry_the_prefix():
    html = render("Waiting times fell[^src].\n\n[^src]: Ministry figures.")
    ids = {e.attrs["id"] for e in elements(html) if "id" in e.attrs}
    hrefs = {e.attrs["href"] for e in elements(html) if e.tag == "a"}
    assert ids == {f"{PREFIX}fnref-src", f"{PREFIX}fn-src"}
    assert hrefs == {f"#{PREFIX}fn-src", f"#{PREFIX}fnref-src"}
    assert 'class="footnote"' in html
    assert 'title="Jump back to footnote 1 in the text"' in html
    assert "Ministry figures." in html


def test_fenced_code_keeps_its_language_and_escapes_its_text():
    html = render('```python\nif a < b and c > "d":\n    pass\n```')
    assert '<pre><code class="language-python">if a &lt; b and c &gt; "d":\n    pass\n</code></pre>' in html


def test_sane_lists_keep_the_first_number():
    html = render("3. three\n4. four")
    assert '<ol start="3">' in html


def test_images_from_the_course_files_keep_their_static_path():
    html = render("![A one-stop shop](/static/images/one%20stop.png)")
    (img,) = elements(html)[1:]
    assert img.attrs == {"alt": "A one-stop shop", "src": "/static/images/one%20stop.png", "loading": "lazy"}


@pytest.mark.parametrize("src", ["images/a.png", "../a.png", "/static/a.png", "/c4x/org/course/asset/a.png"])
def test_relative_image_paths_are_kept_as_written(src):
    (img,) = [e for e in elements(render(f"![a]({src})")) if e.tag == "img"]
    assert img.attrs["src"] == src


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.png",
        "http://tracker.example/pixel.png",
        "//tracker.example/pixel.png",
        "/\\tracker.example/pixel.png",
        "\\\\tracker.example/pixel.png",
        "http:pixel.png",
        "data:image/png;base64,iVBORw0KGgo=",
    ],
)
def test_images_from_other_sites_lose_their_source_but_keep_their_text(src):
    (img,) = elements(sanitise(f'<img src="{src}" alt="A chart">', id_prefix=PREFIX))
    assert img.attrs == {"alt": "A chart", "loading": "lazy"}


def test_mail_links_and_autolinks_are_kept():
    html = render("<https://example.org/a> and <someone@example.org>")
    hrefs = [e.attrs.get("href") for e in elements(html) if e.tag == "a"]
    assert hrefs == ["https://example.org/a", "mailto:someone@example.org"]


def test_every_link_gets_rel_noopener_noreferrer_even_if_the_author_set_another():
    html = render('[a](https://example.org) <a href="/x" rel="opener" target="_blank">b</a>')
    links = [e for e in elements(html) if e.tag == "a"]
    assert [link.attrs.get("rel") for link in links] == ["noopener noreferrer"] * 2
    assert all("target" not in link.attrs for link in links)


def test_author_ids_and_in_page_links_are_prefixed_together():
    html = render('<h2 id="step-2">Step 2</h2>\n\n[Go to step 2](#step-2)')
    assert f'id="{PREFIX}step-2"' in html
    assert f'href="#{PREFIX}step-2"' in html


def test_two_prefixes_give_two_sets_of_ids():
    text = "Note[^1].\n\n[^1]: A note."
    assert render_markdown(text, id_prefix="kza-") != render_markdown(text, id_prefix="kzb-")
    assert 'id="kzb-fn-1"' in render_markdown(text, id_prefix="kzb-")


def test_language_and_direction_marks_are_kept_and_direction_checked():
    html = sanitise('<p lang="ar" dir="RTL">نص</p><p dir="sideways">x</p>', id_prefix=PREFIX)
    assert html == '<p lang="ar" dir="rtl">نص</p><p>x</p>'


def test_classes_are_limited_to_the_ones_the_renderer_uses():
    html = sanitise(
        '<div class="footnote modal-backdrop">a</div><code class="language-js hidden">b</code>'
        '<p class="sr-only">c</p><a class="footnote-ref btn" href="#x">d</a>',
        id_prefix=PREFIX,
    )
    assert html == (
        '<div class="footnote">a</div><code class="language-js">b</code><p>c</p>'
        f'<a class="footnote-ref" href="#{PREFIX}x" rel="noopener noreferrer">d</a>'
    )


def test_details_work_as_a_disclosure_without_javascript():
    html = render("<details><summary>Show the answer</summary>42</details>")
    assert "<details><summary>Show the answer</summary>42</details>" in html


def test_renderer_strings_go_through_gettext():
    catalogue = {
        "Scrollable table": "Tableau défilant",
        "Jump back to footnote %d in the text": "Retour {à} la note %d",
    }
    text = "| a |\n|---|\n| 1 |\n\nx[^1]\n\n[^1]: n"
    html = render_markdown(text, id_prefix=PREFIX, gettext=lambda s: catalogue.get(s, s))
    assert 'aria-label="Tableau défilant"' in html
    # Braces in a translation are text, not format fields.
    assert 'title="Retour {à} la note 1"' in html


def test_plain_text_keeps_the_no_break_spaces_of_french_typography():
    assert plain_text("Une subvention couvre 60\u202f% du prêt\u00a0:\n*vrai*\u202f?") == (
        "Une subvention couvre 60\u202f% du prêt\u00a0: vrai\u202f?")


def test_plain_text_is_the_words_without_markup_or_scripts():
    text = "# Hi & welcome\n\nSome <b>bold</b> text.<script>alert(1)</script>\n\n| a |\n|---|\n| 1 |"
    assert plain_text(text) == "Hi & welcome Some bold text. a 1"


# What attackers write ---------------------------------------------------------------------


def test_script_elements_are_removed_with_their_content():
    html = render("Before\n\n<script>alert('x')</script>\n\nAfter <script src=https://evil.example/x.js></script>")
    assert "script" not in html
    assert "alert" not in html
    assert "Before" in html and "After" in html


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x]( javascript:alert(1) )",
        "[x](<javascript:alert(1)>)",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;&#x61;vascript:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="jav&#x0A;ascript:alert(1)">x</a>',
        '<a href=" &#x01; javascript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    ],
)
def test_links_that_run_code_lose_their_target(link):
    html = render(link)
    assert_inert(html)
    (anchor,) = [e for e in elements(html) if e.tag == "a"]
    assert "href" not in anchor.attrs


def test_javascript_link_with_a_literal_tab_is_removed():
    html = sanitise('<a href="java\tscript:alert(1)">x</a>', id_prefix=PREFIX)
    assert html == '<a rel="noopener noreferrer">x</a>'


@pytest.mark.parametrize(
    "markup",
    [
        "<img src=x onerror=alert(1)>",
        '<p onclick="alert(1)" onmouseover="alert(2)">x</p>',
        '<a href="https://example.org" onfocus="alert(1)" autofocus>x</a>',
        '<details open ontoggle="alert(1)">x</details>',
        '<body onload="alert(1)">x</body>',
        '<svg onload="alert(1)"><circle r="1"/></svg>',
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
        # The sanitiser checks schemes in href and src only, so no other URL attribute is allowed.
        '<q cite="javascript:alert(1)">x</q>',
    ],
)
def test_event_handler_attributes_are_removed(markup):
    html = render(markup)
    assert_inert(html)
    assert "alert" not in html


def test_img_onerror_keeps_an_inert_image():
    assert render("<img src=x onerror=alert(1)>") == '<p><img src="x" loading="lazy"></p>'


@pytest.mark.parametrize(
    "markup",
    [
        '<iframe src="https://evil.example/"></iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">fallback</iframe>',
        '<object data="https://evil.example/x.swf">o</object>',
        '<embed src="https://evil.example/x.swf">',
        '<frameset><frame src="https://evil.example/"></frameset>',
    ],
)
def test_frames_and_plugins_are_removed(markup):
    html = render(markup)
    assert_inert(html)
    assert "evil.example" not in html
    assert "frame" not in html


def test_frame_fallback_content_goes_with_the_frame():
    html = render('Before <iframe src="https://evil.example/">Your browser cannot show frames</iframe> after')
    assert html == "<p>Before  after</p>"


def test_style_attributes_and_style_elements_are_removed():
    html = render('<p style="position:fixed;inset:0">Cover</p>\n\n<style>body{display:none}</style>')
    assert html.strip() == "<p>Cover</p>"


def test_forms_meta_and_base_cannot_be_smuggled_in():
    html = render(
        '<form action="https://evil.example/"><input name="password"><button formaction="x">Go</button></form>'
        '<meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/">'
        '<link rel="stylesheet" href="https://evil.example/x.css">'
    )
    assert_inert(html)
    assert "evil.example" not in html
    assert not {e.tag for e in elements(html)} & {"form", "input", "button", "meta", "base", "link"}


def test_comments_are_removed():
    assert "<!--" not in render("Text <!-- [if IE]><script>alert(1)</script><![endif] -->")


def test_author_cannot_fake_the_table_region_focus_order():
    html = sanitise('<div role="dialog" tabindex="5" aria-label="x">a</div>', id_prefix=PREFIX)
    assert html == '<div aria-label="x">a</div>'


HOSTILE_PIECES = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[y](JAVASCRIPT:alert(1))",
    "[z](&#106;avascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    '<a href="data:text/html,x">d</a>',
    '<p style="color:red" onclick="alert(1)">p</p>',
    "<svg onload=alert(1)>",
    "`",
    "```",
    "\n\n",
    "| a |\n|---|\n| b |\n",
    "[^1]\n\n[^1]: note\n",
    "<",
    ">",
    '"',
    "&",
    "*",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=20)), max_size=12))
def test_any_mix_of_text_and_hostile_pieces_renders_inert(pieces):
    html = render("".join(pieces))
    assert_inert(html)
    assert "alert(" not in " ".join(
        value for element in elements(html) for value in element.attrs.values() if value
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=20)), max_size=12))
def test_sanitising_twice_changes_nothing(pieces):
    once = render("".join(pieces))
    assert sanitise(once, id_prefix=PREFIX) == once
