"""Under every proven listing of the built site, a "See the tests" link that leads to a page.

No browser is needed: the test reads every page's HTML. Each proof (``details.listing-proof``)
must be followed by the listing's links, one of them "See the tests", to the source page
of a test file that the site has.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

PROOF_AND_LINKS = re.compile(
    r'<details class="listing-proof"[^>]*>.*?</details>\s*'
    r'(?:<p class="listing-links"[^>]*>(?P<links>.*?)</p>)?',
    re.DOTALL,
)
TESTS_LINK = re.compile(r'<a href="(?P<href>[^"]+)">See the tests</a> in <code>')


def test_every_proof_is_followed_by_a_link_to_its_tests(site_dir: Path) -> None:
    missing: list[str] = []
    broken: list[str] = []
    proofs = 0
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        for match in PROOF_AND_LINKS.finditer(page.read_text(encoding="utf-8")):
            proofs += 1
            link = TESTS_LINK.search(match.group("links") or "")
            if link is None:
                missing.append(relative)
                continue
            target = urlsplit(urljoin(relative, link.group("href"))).path
            found = site_dir / target / "index.html" if target.endswith("/") else site_dir / target
            if not found.is_file():
                broken.append(f"{relative}: {link.group('href')}")

    assert proofs > 0, "the site shows no proven listing"
    assert missing == [], f"proofs without 'See the tests': {sorted(set(missing))}"
    assert broken == [], f"'See the tests' leading nowhere: {broken[:10]}"
