"""Two small inline SVG charts (no JavaScript, no CDN: the intranet has no internet): the grade
distribution of a batch and each project's total across years.

Hand-written because the pages need two fixed shapes and the alternatives are a JavaScript
library to vendor and keep or matplotlib (a 40 MB dependency) for a few rectangles and lines.
"""

from __future__ import annotations

from html import escape

GRADE_COLOURS = {"优": "#2e7d32", "良": "#1565c0", "中": "#f9a825", "差": "#c62828", "未评": "#9e9e9e"}
LINE_COLOURS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457")


def grade_bars(counts: dict[str, int], title: str = "等级分布") -> str:
    """Vertical bars, one per grade, the count above each."""
    width, height, pad, bar = 360, 200, 30, 50
    top = max(counts.values(), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="chart">',
             f'<text x="{width / 2}" y="16" text-anchor="middle" class="chart-title">{escape(title)}</text>']
    for i, (grade, count) in enumerate(counts.items()):
        x = pad + i * (bar + 20)
        h = (height - 2 * pad - 20) * count / top
        y = height - pad - h
        colour = GRADE_COLOURS.get(grade, "#607d8b")
        parts += [f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{colour}"><title>{escape(grade)}：'
                  f'{count}</title></rect>',
                  f'<text x="{x + bar / 2}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>',
                  f'<text x="{x + bar / 2}" y="{height - pad + 16}" text-anchor="middle">{escape(grade)}</text>']
    parts.append(f'<line x1="{pad - 10}" y1="{height - pad}" x2="{width - 10}" y2="{height - pad}" stroke="#555"/></svg>')
    return "".join(parts)


def year_lines(series: list[tuple[str, dict[int, float]]], years: list[int], title: str = "历年总分") -> str:
    """One line per project: its total in each year (axis from 60, or lower when a total is, to 100;
    gridlines at the grade bounds)."""
    width, height, left, right, top, bottom = 640, 260, 40, 170, 28, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(years) - 1)
    x_of = {year: left + (i * step if len(years) > 1 else plot_w / 2) for i, year in enumerate(years)}
    shown = [v for _, values in series for v in values.values() if v is not None]
    low = min([60] + [max(0, int(v // 10) * 10) for v in shown])
    y_of = lambda v: top + plot_h * (1 - (v - low) / (100 - low))  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" class="chart">',
             f'<text x="{left}" y="16" class="chart-title">{escape(title)}</text>']
    for mark in sorted({low, 60, 80, 90, 100} - set(range(0, low))):
        parts.append(f'<line x1="{left}" y1="{y_of(mark):.1f}" x2="{left + plot_w}" y2="{y_of(mark):.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y_of(mark) + 4:.1f}" text-anchor="end">{mark}</text>')
    for year, x in x_of.items():
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{year}</text>')
    for i, (name, values) in enumerate(series):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        points = [(x_of[y], y_of(v)) for y, v in sorted(values.items()) if y in x_of and v is not None]
        if len(points) > 1:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                         + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        for (x, y), (year, v) in zip(points, sorted((k, w) for k, w in values.items() if k in x_of and w is not None)):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(name)} {year}：'
                         f'{v:.2f}</title></circle>')
        label = name if len(name) <= 10 else name[:10] + "…"
        parts.append(f'<rect x="{left + plot_w + 12}" y="{top + i * 18}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + plot_w + 26}" y="{top + i * 18 + 9}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
