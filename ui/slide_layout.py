"""How a slide shares the screen: the title sentence on top, the figure, the footer; nothing to scroll.

Type scales with the screen (1 on a 1920×1080 one, where chart labels are 26 px and headline numbers
120 px); the figure gets the height the sentence and the footer leave. The sentence's height is estimated
from its length (a generous average letter width), so a long sentence takes room from the figure rather
than pushing it below the screen's edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analytics import charts

#: The screen slides are designed on; others scale from it.
DESIGN_WIDTH, DESIGN_HEIGHT = 1920, 1080
#: Until the browser says how big its window is.
DEFAULT_VIEWPORT = (DESIGN_WIDTH, DESIGN_HEIGHT)
TITLE_PX, FOOTER_PX, PADDING_PX = 40, 24, 24
#: Letter width as a share of the type size, generous for Vietnamese in the app's sans serif.
LETTER_WIDTH = 0.56
LINE_HEIGHT = 1.25
#: Rounding in the browser's layout.
SLACK_PX = 2


@dataclass(frozen=True)
class SlideLayout:
    scale: float
    padding: int
    title_px: int
    title_height: int
    footer_px: int
    footer_height: int
    figure: charts.Style


def fit(width: int, height: int, sentence: str, above: int = 0, scale: float | None = None) -> SlideLayout:
    """The layout of a slide with ``sentence`` as its title in ``width``×``height`` pixels, below ``above``
    pixels of other things (the presenter's controls when not in full screen); type is scaled by ``scale``
    (by default the screen's to the design's)."""
    scale = scale or min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT)
    padding = round(PADDING_PX * scale)
    title_px = round(TITLE_PX * scale)
    letters_per_line = max(1, int((width - 2 * padding) / (title_px * LETTER_WIDTH)))
    lines = max(1, math.ceil(len(sentence) / letters_per_line))
    title_height = math.ceil(lines * title_px * LINE_HEIGHT)
    footer_px = max(12, round(FOOTER_PX * scale))
    footer_height = math.ceil(footer_px * LINE_HEIGHT) + padding + 1  # its border
    figure_height = height - above - padding - title_height - padding - footer_height - SLACK_PX
    return SlideLayout(scale, padding, title_px, title_height, footer_px, footer_height,
                       charts.HALL.for_slide(scale, max(200, figure_height)))
