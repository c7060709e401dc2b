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
    """Measurements over time against the baseline and target lines."""
    if not measurements:
        return None
    width, height, pad = 520, 200, 40
    points = [(indicator.baseline_date, indicator.baseline)] + [(m.date, m.value) for m in measurements]
    dates = [p[0] for p in points] + [indicator.target_date]
    values = [Decimal(v) for _d, v in points] + [indicator.target]
    start, end = min(dates), max(dates)
    low, high = min(values), max(values)
    span_days = max((end - start).days, 1)
    span_values = (high - low) or Decimal(1)

    def x(day):
        return round(pad + (day - start).days / span_days * (width - 2 * pad), 1)

    def y(value):
        return round(height - pad - float((Decimal(value) - low) / span_values) * (height - 2 * pad), 1)

    path = [{"x": x(m.date), "y": y(m.value), "date": m.date, "value": m.value} for m in measurements]
    return {
        "width": width,
        "height": height,
        "points": path,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in path),
        "baseline_y": y(indicator.baseline),
        "target_y": y(indicator.target),
        "x0": pad,
        "x1": width - pad,
    }
