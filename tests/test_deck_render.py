"""The deck as people see it: rendered by LibreOffice, every word where it belongs.

The sample's deck for 01/2022–09/2022 is rendered once per language (``soffice --convert-to pdf``) and
``pdftotext -bbox-layout`` gives every word's box, in points. LibreOffice draws Calibri with DejaVu Sans
here, wider than what PowerPoint uses, so what fits here fits there. Needs ``soffice`` and ``pdftotext``
(``scripts/test.sh`` installs them with apt-get); the test fails without them rather than skip.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from analytics import access, deck, overview
from analytics.filters import Filter, Month
from analytics.i18n import t

PERIOD = Filter(Month(2022, 1), Month(2022, 9))
LANGS = ("vi", "en")
XHTML = "{http://www.w3.org/1999/xhtml}"
POINTS_PER_EMU = 72 / 914400


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def overlaps(self, other: Word) -> bool:
        """Whether the two words' ink overlaps: boxes less the line spacing pdftotext counts in (neighbouring
        lines of one paragraph touch by a point or two)."""
        inset, other_inset = self.height * 0.2, other.height * 0.2
        return (self.x0 < other.x1 - 0.5 and other.x0 < self.x1 - 0.5
                and self.y0 + inset < other.y1 - other_inset and other.y0 + other_inset < self.y1 - inset)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    def find(self, text: str) -> list[Word]:
        """The words of ``text``, in order, as one run of the page's words (empty if not there)."""
        wanted = text.split()
        texts = [w.text for w in self.words]
        for start in range(len(texts) - len(wanted) + 1):
            if texts[start:start + len(wanted)] == wanted:
                return self.words[start:start + len(wanted)]
        return []


def _tools() -> tuple[str, str]:
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        pytest.fail("the deck's render test needs LibreOffice and poppler: "
                    "apt-get install libreoffice-impress poppler-utils (scripts/test.sh does it as root)")
    return soffice, pdftotext


def _pages(pdf: Path, pdftotext: str) -> list[Page]:
    xml = subprocess.run([pdftotext, "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    pages = []
    for page in ET.fromstring(xml).iter(f"{XHTML}page"):
        words = [Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                 for w in page.iter(f"{XHTML}word")]
        pages.append(Page(float(page.get("width")), float(page.get("height")), words))
    return pages


@pytest.fixture(scope="module")
def rendered(sample_con, tmp_path_factory) -> dict[str, tuple[overview.Overview, list[Page]]]:
    """Each language's overview and its deck's pages as LibreOffice renders them (one soffice run)."""
    soffice, pdftotext = _tools()
    folder = tmp_path_factory.mktemp("render")
    for lang in LANGS:
        (folder / f"{lang}.pptx").write_bytes(deck.build_deck(sample_con, access.OPERATOR, PERIOD, lang))
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *(str(folder / f"{lang}.pptx") for lang in LANGS)],
                   capture_output=True, check=True, timeout=300)
    return {lang: (overview.load(sample_con, access.OPERATOR, PERIOD, lang), _pages(folder / f"{lang}.pdf", pdftotext))
            for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_every_word_lies_inside_its_page(rendered, lang):
    view, pages = rendered[lang]
    assert len(pages) == 1 + len(view.slides())
    for number, page in enumerate(pages, start=1):
        assert page.width == pytest.approx(deck.SLIDE_WIDTH * POINTS_PER_EMU, abs=0.5)  # 16:9, 13.333 × 7.5 in
        assert page.height == pytest.approx(deck.SLIDE_HEIGHT * POINTS_PER_EMU, abs=0.5)
        outside = [w.text for w in page.words if w.x0 < 0 or w.y0 < 0 or w.x1 > page.width or w.y1 > page.height]
        assert not outside, f"page {number}: {outside}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_headline_number_is_one_word_on_one_line(rendered, lang):
    view, pages = rendered[lang]
    values = [card.value for card in view.cards()]
    assert values == (["2.339", "1.220", "251", "216"] if lang == "vi" else ["2,339", "1,220", "251", "216"])
    big = [w for w in pages[1].words if w.height > 30]  # the numbers; every other text is at most 28 points
    assert [w.text for w in big] == values  # a wrapped "2.33 / 9" would be two big words
    assert len({round(w.y0) for w in big}) == 1  # side by side, on one line
    for left, right in zip(big, big[1:]):
        assert left.x1 < right.x0


@pytest.mark.parametrize("lang", LANGS)
def test_titles_sit_above_the_chart_and_footers_at_the_bottom(rendered, lang):
    view, pages = rendered[lang]
    title_bottom = (deck.BODY_TOP) * POINTS_PER_EMU
    body_bottom = (deck.BODY_TOP + deck.BODY_HEIGHT) * POINTS_PER_EMU
    footer = (view.footer(), t("sample_banner", lang))  # two paragraphs (a chart's words may come between)
    for number, (slide, page) in enumerate(zip(view.slides(), pages[1:]), start=2):
        title, foot = page.find(slide.sentence), [w for line in footer for w in page.find(line)]
        assert title, f"page {number}: the title sentence is not there as one run of words: {slide.sentence}"
        assert all(page.find(line) for line in footer), f"page {number}: the footer is not there: {footer}"
        assert len({round(w.y0) for w in title}) <= deck.TITLE_LINES, f"page {number}: the title takes too many lines"
        assert max(w.y1 for w in title) <= title_bottom, f"page {number}: the title runs into the chart"
        assert min(w.y0 for w in foot) >= body_bottom - 2, f"page {number}: the footer is not at the bottom"
        others = [w for w in page.words if w not in title and w not in foot]
        assert others, f"page {number}: nothing between the title and the footer"
        for word in others:
            assert title_bottom - 6 < word.y0 and word.y1 < body_bottom + 6, f"page {number}: {word} is out of the body"
            clash = [w.text for w in title + foot if w.overlaps(word)]
            assert not clash, f"page {number}: {word.text} overlaps {clash}"
    assert all(pages[0].find(line) for line in footer), "the title slide has the footer too"


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_words_overlap(rendered, lang):
    _, pages = rendered[lang]
    for number, page in enumerate(pages, start=1):
        clashes = [(a.text, b.text) for i, a in enumerate(page.words) for b in page.words[i + 1:] if a.overlaps(b)]
        assert not clashes, f"page {number}: {clashes[:5]}"
