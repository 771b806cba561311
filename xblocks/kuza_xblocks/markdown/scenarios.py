"""Sample lessons in OLX for xblock-sdk's workbench, one per thing worth looking at."""

PLAIN = """\
<kuza_markdown url_name="intro-why" display_name="Why innovate?" xblock-family="xblock.v1">
# Why innovate in public service delivery?

Public servants who **redesign a service** around the people who use it save those people
time and money. The [UN Public Service Awards](https://publicadministration.un.org/en/UNPSA)
recognise such practices every year.

- Start from a problem that citizens feel.
- Measure the service before and after.
- Share what worked, and what did not.
</kuza_markdown>
"""

TABLE_FOOTNOTE_CODE = """\
<kuza_markdown url_name="compare-practices" display_name="Comparing two practices" xblock-family="xblock.v1">
## Two one-stop shops

| Country  | Services in one place | Waiting time (days) |
|:---------|:---------------------:|--------------------:|
| Rwanda   | 12                    | 2                   |
| Colombia | 30                    | 5                   |

Waiting times fell after the first year[^source].

A form's fields, as a data officer would list them:

```python
fields = ["name", "national_id", "district"]  # 3 &lt; 4 &amp; "quotes" stay text
```

[^source]: Figures reported by each programme to its ministry.
</kuza_markdown>
"""

# The Markdown below is escaped for XML (&lt; for <), as the serializer writes it. It must
# render inert: no script runs, no frame loads, no link or image runs code.
HOSTILE = """\
<kuza_markdown url_name="hostile" display_name="Hostile content, rendered inert" xblock-family="xblock.v1">
# This lesson tries to run code

&lt;script&gt;alert("script")&lt;/script&gt;

[A javascript: link](javascript:alert(1)) and [another one](JaVaScRiPt:alert(2)).

[A data: link](data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==)

&lt;img src=x onerror=alert(4)&gt;

&lt;iframe src="https://example.org/"&gt;&lt;/iframe&gt;

&lt;p style="position:fixed;inset:0" onclick="alert(5)"&gt;A paragraph with a style and a handler.&lt;/p&gt;
</kuza_markdown>
"""

FRENCH = """\
<kuza_markdown url_name="pourquoi-innover" display_name="Pourquoi innover ?" xblock-family="xblock.v1">
# Pourquoi innover dans les services publics ?

Les agents publics qui **repensent un service** avec ses usagers leur font gagner du
temps et de l'argent. Une démarche en trois étapes :

1. partir d'un problème que les citoyens ressentent ;
2. mesurer le service avant et après ;
3. partager ce qui a marché, et ce qui n'a pas marché.

| Étape | Durée |
|-------|-------|
| Diagnostic | 2 semaines |
</kuza_markdown>
"""

ARABIC = """\
<kuza_markdown url_name="limatha-nubtakir" display_name="لماذا نبتكر؟" xblock-family="xblock.v1">
# لماذا نبتكر في الخدمات العامة؟

الموظفون العموميون الذين **يعيدون تصميم الخدمة** حول المواطنين يوفرون عليهم الوقت والمال.

- ابدأ من مشكلة يشعر بها المواطنون.
- قِس الخدمة قبل التغيير وبعده.
</kuza_markdown>
"""

EMPTY = """\
<kuza_markdown url_name="empty" display_name="A lesson not written yet" xblock-family="xblock.v1"/>
"""

WORKBENCH_SCENARIOS = [
    ("Kuza Markdown: a plain lesson", PLAIN),
    ("Kuza Markdown: table, footnote and code", TABLE_FOOTNOTE_CODE),
    ("Kuza Markdown: hostile content rendered inert", HOSTILE),
    ("Kuza Markdown: une leçon en français", FRENCH),
    ("Kuza Markdown: Arabic lesson, right to left", ARABIC),
    ("Kuza Markdown: a lesson not written yet", EMPTY),
]
