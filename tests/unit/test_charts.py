from __future__ import annotations

import io
import random
from datetime import date, timedelta

import pytest
from PIL import Image, ImageColor

from bot.ui.charts import (
    BACKGROUND,
    EMPTY,
    LEVEL_COLOURS,
    first_monday,
    heatmap_layout,
    level,
    render_heatmap,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEDNESDAY = date(2025, 3, 5)


def render(minutes: dict[date, int], *, end: date = WEDNESDAY, weeks: int = 12) -> Image.Image:
    png = render_heatmap(
        minutes, end=end, weeks=weeks, title="alice · last weeks", timezone_label="Europe/Berlin"
    )
    return Image.open(io.BytesIO(png)).convert("RGB")


def centre(image: Image.Image, weeks: int, week_index: int, weekday: int) -> tuple[int, ...]:
    x0, y0, x1, y1 = heatmap_layout(weeks).cell_box(week_index, weekday)
    pixel = image.getpixel(((x0 + x1) // 2, (y0 + y1) // 2))
    assert isinstance(pixel, tuple)
    return pixel


def rgb(colour: str) -> tuple[int, ...]:
    return ImageColor.getrgb(colour)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(-5, 0), (0, 0), (1, 1), (14, 1), (15, 2), (44, 2), (45, 3), (89, 3), (90, 4), (600, 4)],
)
def test_level_thresholds(minutes: int, expected: int) -> None:
    assert level(minutes) == expected


def test_returns_a_png_of_sensible_size() -> None:
    png = render_heatmap({}, end=WEDNESDAY, weeks=26, title="bob", timezone_label="UTC")
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert 700 <= image.width <= 1400
    assert 300 <= image.height <= 700


@pytest.mark.parametrize("weeks", [4, 13, 26, 52])
def test_every_allowed_width_fits_discord(weeks: int) -> None:
    image = render({}, weeks=weeks)
    layout = heatmap_layout(weeks)
    assert image.size == (layout.width, layout.height)
    assert image.width <= 1400
    # the last column's right edge stays inside the picture
    assert layout.cell_box(weeks - 1, 6)[2] < image.width


@pytest.mark.parametrize("weeks", [-1, 0, 3, 53, 100])
def test_weeks_out_of_range_raise(weeks: int) -> None:
    with pytest.raises(ValueError, match="weeks"):
        render_heatmap({}, end=WEDNESDAY, weeks=weeks, title="x", timezone_label="UTC")


def test_columns_are_iso_weeks_ending_with_end() -> None:
    start = first_monday(WEDNESDAY, 4)
    assert start.weekday() == 0
    assert start == date(2025, 2, 10)
    assert (WEDNESDAY - start).days == 3 * 7 + 2


def test_a_studied_day_is_coloured_by_its_level() -> None:
    weeks = 12
    start = first_monday(WEDNESDAY, weeks)
    tuesday_week_3 = start + timedelta(weeks=3, days=1)
    image = render({tuesday_week_3: 50, start: 5}, weeks=weeks)
    assert centre(image, weeks, 3, 1) == rgb(LEVEL_COLOURS[3])
    assert centre(image, weeks, 0, 0) == rgb(LEVEL_COLOURS[1])
    assert centre(image, weeks, 3, 2) == rgb(EMPTY)
    assert centre(image, weeks, 3, 1) != centre(image, weeks, 3, 2)


def test_days_after_end_stay_blank_and_today_is_drawn() -> None:
    weeks = 8
    after = {WEDNESDAY + timedelta(days=i): 120 for i in range(1, 5)}
    image = render({WEDNESDAY: 120, **after}, weeks=weeks)
    assert centre(image, weeks, weeks - 1, 2) == rgb(LEVEL_COLOURS[4])
    for weekday in range(3, 7):
        assert centre(image, weeks, weeks - 1, weekday) == rgb(BACKGROUND)


def test_dates_outside_the_period_do_not_change_the_picture() -> None:
    before = first_monday(WEDNESDAY, 8) - timedelta(days=1)
    plain = render_heatmap({}, end=WEDNESDAY, weeks=8, title="a", timezone_label="UTC")
    noisy = render_heatmap(
        {before: 300, WEDNESDAY + timedelta(days=1): 300},
        end=WEDNESDAY,
        weeks=8,
        title="a",
        timezone_label="UTC",
    )
    assert plain == noisy


def test_cell_box_rejects_cells_outside_the_grid() -> None:
    layout = heatmap_layout(4)
    with pytest.raises(IndexError):
        layout.cell_box(4, 0)
    with pytest.raises(IndexError):
        layout.cell_box(0, 7)


def test_fifty_two_weeks_of_random_data_is_small_and_deterministic() -> None:
    rng = random.Random(2025)
    minutes = {WEDNESDAY - timedelta(days=i): rng.randint(0, 240) for i in range(400)}

    def once() -> bytes:
        return render_heatmap(
            dict(minutes),
            end=WEDNESDAY,
            weeks=52,
            title="carol · last 52 weeks",
            timezone_label="America/New_York",
        )

    first, again = once(), once()
    assert first == again
    assert len(first) < 200_000
    assert Image.open(io.BytesIO(first)).width <= 1400


def test_long_titles_and_timezones_do_not_break_rendering() -> None:
    png = render_heatmap(
        {WEDNESDAY: 30},
        end=WEDNESDAY,
        weeks=4,
        title="a" * 300,
        timezone_label="America/Argentina/ComodRivadavia" * 5,
    )
    assert png.startswith(PNG_SIGNATURE)
