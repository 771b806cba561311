"""Running axe-core in a page and reporting what it finds, for every browser test that checks accessibility."""
from __future__ import annotations

from playwright.sync_api import Page

# The axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def run_axe(axe, page: Page) -> list[dict]:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
                                     "resultTypes": ["violations"]})
    return results.response["violations"]


def readable(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}  <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)
