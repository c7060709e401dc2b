"""Geometry for the server-side SVG charts (templates draw them; every chart has a data table too)."""

from __future__ import annotations

from decimal import Decimal

STATUS_COLOURS = {
    "not_started": "#5d7083",
    "in_progress": "#0066cc",
    "partially_done": "#995c00",
    "done": "#008055",
    "stalled": "#cc334d",
    "abandoned": "#3d3d3d",
}
BAR_WIDTH = 560


def status_bars(counts: list[tuple[str, str, int]]) -> dict:
    """Horizontal bars, one per status, labelled with name and number (colour is never the only cue)."""
    largest = max((n for _v, _l, n in counts), default=0) or 1
    rows = []
    for index, (value, label, count) in enumerate(counts):
        rows.append(
            {
                "value": value,
                "label": label,
                "count": count,
                "y": index * 30,
                "width": round(count / largest * 300, 1),
                "colour": STATUS_COLOURS[value],
            }
        )
    return {"rows": rows, "height": len(rows) * 30, "width": BAR_WIDTH}


def progress_bars(items: list[tuple[str, float | None]]) -> dict:
    rows = []
    for index, (label, progress) in enumerate(items):
        value = 0.0 if progress is None else float(progress)
        rows.append(
            {"label": label, "progress": progress, "y": index * 34, "width": round(value / 100 * 300, 1)}
        )
    return {"rows": rows, "height": max(len(rows) * 34, 34), "width": BAR_WIDTH}


def indicator_line(indicator, measurements) -> dict | None:
    """Measurements over time against the baseline and target lines, with value and date axes."""
    if not measurements:
        return None
    width, height = 560, 240
    left, right, top, bottom = 64, 24, 16, 40
    points = [(indicator.baseline_date, indicator.baseline)] + [(m.date, m.value) for m in measurements]
    dates = [p[0] for p in points] + [indicator.target_date]
    values = [Decimal(v) for _d, v in points] + [Decimal(indicator.target)]
    start, end = min(dates), max(dates)
    low, high = min(values), max(values)
    if low > 0 and low < (high - low):
        low = Decimal(0)  # start the axis at zero when that does not squash the line
    span_days = max((end - start).days, 1)
    span_values = (high - low) or Decimal(1)

    def x(day):
        return round(left + (day - start).days / span_days * (width - left - right), 1)

    def y(value):
        share = float((Decimal(value) - low) / span_values)
        return round(height - bottom - share * (height - top - bottom), 1)

    path = [{"x": x(m.date), "y": y(m.value), "date": m.date, "value": m.value} for m in measurements]
    y_ticks = [{"y": y(low + span_values * i / 4), "value": low + span_values * i / 4} for i in range(5)]
    return {
        "width": width,
        "height": height,
        "points": path,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in path),
        "baseline_y": y(indicator.baseline),
        "target_y": y(indicator.target),
        "x0": left,
        "x1": width - right,
        "y0": height - bottom,
        "y1": top,
        "y_ticks": y_ticks,
        "x_ticks": _date_ticks(start, end, x),
    }


def _date_ticks(start, end, x) -> list[dict]:
    """Year marks for spans over two years, otherwise the first and last date (labelled in the template)."""
    import datetime

    if (end - start).days >= 730:
        years = range(start.year + (start.month > 1 or start.day > 1), end.year + 1)
        return [{"x": x(datetime.date(year, 1, 1)), "label": str(year)} for year in years]
    return [{"x": x(day), "label": day.strftime("%d/%m/%Y")} for day in sorted({start, end})]
