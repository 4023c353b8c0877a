"""Pillow charts for study statistics: a GitHub-style heatmap of daily minutes.

Rendering is pure and synchronous (no Discord, no I/O, no clock) so a cog can run it off the
event loop with `asyncio.to_thread(render_heatmap, ...)` and tests can check pixels directly.
Only Pillow's bundled default font is used, so no font file has to ship with the bot; that font
(Aileron) covers Latin text, so every fixed label here sticks to ASCII plus `·` and `…`.
"""

from __future__ import annotations

import io
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

MIN_WEEKS = 4
MAX_WEEKS = 52

# A day's level is how many of these floors its minutes reach: 0 = nothing logged, then
# a quick look (1-14), a short session (15-44), a solid one (45-89), a long day (90+).
LEVEL_FLOORS: tuple[int, ...] = (1, 15, 45, 90)

# Discord dark theme: background, primary and secondary text. The greens are GitHub's dark
# palette, chosen because members already read them as "more green = more work".
BACKGROUND = "#2b2d31"
TEXT = "#f2f3f5"
MUTED = "#b5bac1"
EMPTY = "#383a40"
LEVEL_COLOURS: tuple[str, ...] = (EMPTY, "#14532d", "#1a7f37", "#2ea043", "#56d364")
BAR = "#2ea043"
TODAY_OUTLINE = "#dbdee1"

PAD = 24
LABEL_WIDTH = 52  # room for "Mon"/"Wed"/"Fri" and "h/wk" left of the grid
LABEL_GAP = 8
MIN_WIDTH = 720  # keeps the title and totals on one line each, even at 4 weeks
GRID_TARGET = 1144  # the grid's width at 52 weeks; fewer weeks get bigger cells, up to MAX_PITCH
MIN_PITCH = 22
MAX_PITCH = 40
BAR_HEIGHT = 40
LEGEND_SQUARE = 14

TITLE_SIZE = 26
STATS_SIZE = 17
NOTE_SIZE = 15
LABEL_SIZE = 14
WEEK_VALUE_SIZE = 11

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def level(minutes: int) -> int:
    """The colour level (0-4) for a day's minutes; negative totals count as nothing logged."""
    return bisect_right(LEVEL_FLOORS, minutes)


def first_monday(end: date, weeks: int) -> date:
    """The Monday that starts the first column: columns are ISO weeks and the last holds `end`."""
    return end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)


@dataclass(frozen=True, slots=True)
class HeatmapLayout:
    """Where everything goes for a given number of weeks (text never moves the grid).

    Kept separate from drawing so tests (and anything cropping the image) can find a cell.
    """

    weeks: int
    pitch: int  # distance from one cell's left edge to the next
    gap: int
    grid_x: int
    grid_y: int
    width: int
    height: int

    @property
    def cell(self) -> int:
        return self.pitch - self.gap

    @property
    def grid_bottom(self) -> int:
        return self.grid_y + 7 * self.pitch - self.gap

    @property
    def bars_top(self) -> int:
        return self.grid_bottom + 14

    @property
    def bars_bottom(self) -> int:
        return self.bars_top + BAR_HEIGHT

    @property
    def legend_y(self) -> int:
        return self.bars_bottom + 28

    def column_x(self, week_index: int) -> int:
        return self.grid_x + week_index * self.pitch

    def cell_box(self, week_index: int, weekday: int) -> tuple[int, int, int, int]:
        """The inclusive pixel box (x0, y0, x1, y1) of a day: column = week, row = weekday."""
        if not (0 <= week_index < self.weeks and 0 <= weekday < 7):
            raise IndexError(f"no cell at week {week_index}, weekday {weekday}")
        x0 = self.column_x(week_index)
        y0 = self.grid_y + weekday * self.pitch
        return x0, y0, x0 + self.cell - 1, y0 + self.cell - 1


def heatmap_layout(weeks: int) -> HeatmapLayout:
    """The layout for `weeks` columns; raises ValueError outside 4-52 weeks."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be between {MIN_WEEKS} and {MAX_WEEKS}, not {weeks}")
    pitch = min(MAX_PITCH, max(MIN_PITCH, GRID_TARGET // weeks))
    gap = max(3, pitch // 8)
    grid_x = PAD + LABEL_WIDTH + LABEL_GAP
    grid_y = PAD + 118  # title, totals, note and month labels sit above
    width = max(MIN_WIDTH, grid_x + weeks * pitch - gap + PAD)
    height = grid_y + 7 * pitch - gap + 14 + BAR_HEIGHT + 28 + LEGEND_SQUARE + PAD
    return HeatmapLayout(weeks, pitch, gap, grid_x, grid_y, width, height)


@lru_cache(maxsize=8)
def _font(size: int) -> Font:
    """Pillow's bundled scalable font (>= 10.1), cached: loading it costs more than drawing."""
    return ImageFont.load_default(size=size)


def _span(minutes: int) -> str:
    """`2h 05m` or `35m`: compact enough for a stats line."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}h {rest:02d}m" if hours else f"{rest}m"


def _day(day: date, *, year: bool = False) -> str:
    """English day names built by hand: strftime would follow the host locale."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def _week_value(minutes: int) -> str:
    """Hours in a week for the row under the bars: at most 3 characters, blank for none."""
    if minutes <= 0:
        return ""
    hours = minutes / 60
    return f"{round(hours)}" if hours >= 9.95 else f"{max(hours, 0.1):.1f}"


def _fit(text: str, font: Font, width: float) -> str:
    """`text` cut with an ellipsis until it fits `width` pixels (long names must not spill)."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _month_labels(start: date, end: date, layout: HeatmapLayout) -> list[tuple[int, str]]:
    """(x, "Mar") above the column holding each month's 1st, plus the first partial month.

    The partial month's label is dropped when it would run into the next one.
    """
    labels = [(layout.column_x(0), MONTHS[start.month - 1])]
    for week in range(layout.weeks):
        for offset in range(7):
            day = start + timedelta(weeks=week, days=offset)
            if day.day == 1 and day <= end and (week, offset) != (0, 0):
                labels.append((layout.column_x(week), MONTHS[day.month - 1]))
    font = _font(LABEL_SIZE)
    if len(labels) > 1 and labels[0][0] + font.getlength(labels[0][1]) + 6 > labels[1][0]:
        labels.pop(0)
    return labels


def render_heatmap(
    minutes_by_day: Mapping[date, int],
    *,
    end: date,
    weeks: int,
    title: str,
    timezone_label: str,
) -> bytes:
    """A PNG heatmap of daily study minutes for the `weeks` ISO weeks ending with `end`.

    `end` is the member's local today, and `minutes_by_day` is keyed by local dates in
    `timezone_label`, so the picture shows the member's days, not UTC ones. Days after `end`
    stay blank; dates outside the period are ignored. Same input, same bytes.
    """
    layout = heatmap_layout(weeks)
    start = first_monday(end, weeks)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    minutes = {day: max(0, minutes_by_day.get(day, 0)) for day in days}

    weekly = [0] * weeks
    best_day: date | None = None
    for day, value in minutes.items():
        weekly[(day - start).days // 7] += value
        if value > 0 and (best_day is None or value > minutes[best_day]):
            best_day = day
    total = sum(weekly)
    active = sum(1 for value in minutes.values() if value > 0)

    image = Image.new("RGB", (layout.width, layout.height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_width = layout.width - 2 * PAD

    draw.text((PAD, PAD), _fit(title, _font(TITLE_SIZE), text_width), TEXT, _font(TITLE_SIZE))
    if best_day is None:
        stats = "No study time logged in this period yet"
    else:
        stats = (
            f"{total / 60:.1f} hours · {active} active day{'s' if active != 1 else ''}"
            f" · best day {_span(minutes[best_day])} ({_day(best_day)})"
        )
    draw.text((PAD, PAD + 38), _fit(stats, _font(STATS_SIZE), text_width), TEXT, _font(STATS_SIZE))
    note = f"{_day(start, year=True)} - {_day(end, year=True)} · days in {timezone_label}"
    if max(weekly) > 0:
        note = f"Best week {_span(max(weekly))} · {note}"
    draw.text((PAD, PAD + 64), _fit(note, _font(NOTE_SIZE), text_width), MUTED, _font(NOTE_SIZE))

    label_font = _font(LABEL_SIZE)
    for x, text in _month_labels(start, end, layout):
        draw.text((x, layout.grid_y - 6), text, MUTED, label_font, anchor="ls")
    label_right = layout.grid_x - LABEL_GAP
    for row in (0, 2, 4):
        _, y0, _, y1 = layout.cell_box(0, row)
        draw.text((label_right, (y0 + y1) / 2), WEEKDAYS[row], MUTED, label_font, anchor="rm")

    radius = max(2, layout.cell // 6)
    for day, value in minutes.items():
        box = layout.cell_box((day - start).days // 7, day.weekday())
        outline = TODAY_OUTLINE if day == end else None
        draw.rounded_rectangle(box, radius, fill=LEVEL_COLOURS[level(value)], outline=outline)

    _draw_weekly(draw, layout, weekly)
    _draw_legend(draw, layout)

    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _draw_weekly(draw: ImageDraw.ImageDraw, layout: HeatmapLayout, weekly: list[int]) -> None:
    """Bars of minutes per week under their columns, scaled to the best week, hours beneath."""
    best = max(weekly)
    value_font = _font(WEEK_VALUE_SIZE)
    for week, value in enumerate(weekly):
        x0 = layout.column_x(week)
        x1 = x0 + layout.cell - 1
        bottom = layout.bars_bottom
        draw.line((x0, bottom, x1, bottom), EMPTY)
        if value > 0 and best > 0:
            height = max(2, round(BAR_HEIGHT * value / best))
            draw.rectangle((x0, bottom - height + 1, x1, bottom), BAR)
        text = _week_value(value)
        if text and value_font.getlength(text) <= layout.pitch - 1:
            draw.text(((x0 + x1 + 1) / 2, bottom + 4), text, MUTED, value_font, anchor="mt")
    label_font = _font(LABEL_SIZE)
    middle = (layout.bars_top + layout.bars_bottom) / 2
    right = layout.grid_x - LABEL_GAP
    draw.text((right, middle - 8), "hours", MUTED, label_font, anchor="rm")
    draw.text((right, middle + 8), "/ week", MUTED, label_font, anchor="rm")


def _draw_legend(draw: ImageDraw.ImageDraw, layout: HeatmapLayout) -> None:
    """One square per level with its minute range, so members can read the colours."""
    font = _font(LABEL_SIZE)
    names = ["none", *_level_ranges()]
    x = float(layout.grid_x)
    y = layout.legend_y
    draw.text((x, y + LEGEND_SQUARE / 2), "Minutes a day:", MUTED, font, anchor="lm")
    x += font.getlength("Minutes a day:") + 10
    for colour, name in zip(LEVEL_COLOURS, names, strict=True):
        draw.rounded_rectangle((x, y, x + LEGEND_SQUARE - 1, y + LEGEND_SQUARE - 1), 2, colour)
        x += LEGEND_SQUARE + 5
        draw.text((x, y + LEGEND_SQUARE / 2), name, MUTED, font, anchor="lm")
        x += font.getlength(name) + 14


def _level_ranges() -> list[str]:
    """`1-14`, `15-44`, `45-89`, `90+`: the legend text, derived from LEVEL_FLOORS."""
    bounds = [*LEVEL_FLOORS[1:], None]
    return [
        f"{low}-{high - 1}" if high is not None else f"{low}+"
        for low, high in zip(LEVEL_FLOORS, bounds, strict=True)
    ]
