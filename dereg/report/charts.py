"""Charts as inline SVG, drawn from the report's figures: no script, no font, no network.

Every string that reaches the SVG goes through html.escape; numbers are formatted here.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import Counter
from collections.abc import Sequence
from html import escape

from dereg.i18n import _, ngettext
from dereg.labels import value_label
from dereg.money import format_amount
from dereg.report.figures import CUT_THRESHOLD, OUTCOME_LABELS
from dereg.report.numbers import money, number, percent

WIDTH = 720
RED, ORANGE, GREY, INK, MUTED, RULE = "#b3261e", "#e8833a", "#8a97a8", "#1d2433", "#5b6475", "#d5d9e0"
OUTCOME_COLOURS = {
    "reinstated": "#2e7d4f",
    "upheld": RED,
    "not_heard": "#7a1f1a",
    "pending": ORANGE,
    "not_filed": "#c4cad3",
}


def severity(pct: float | None) -> str:
    if pct is None:
        return GREY
    return RED if pct >= CUT_THRESHOLD else ORANGE if pct >= 10 else GREY


def _svg(height: float, title: str, body: list[str], chart: str) -> str:
    return (
        f'<svg class="chart" data-chart="{chart}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" role="img" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: float = 11,
    fill: str = INK,
    weight: str = "normal",
    cls: str = "",
) -> str:
    extra = f' class="{cls}"' if cls else ""
    bold = f' font-weight="{weight}"' if weight != "normal" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{bold}{extra}>{escape(text)}</text>'
    )


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def distinct_labels(names: list[str], chars: int) -> dict[str, str]:
    """Each name within chars; names that would print alike once cut ('East Kazakhstan oblast
    maslikhat dist…' twice) keep, after a "…", the part where they differ."""
    from os.path import commonprefix

    labels = {name: _fit(name, chars) for name in names}
    alike: dict[str, list[str]] = {}
    for name, label in labels.items():
        alike.setdefault(label, []).append(name)
    for group in alike.values():
        if len(group) < 2:
            continue
        shared = len(commonprefix(group))
        for name in group:
            tail = name[max(shared - 4, 0) :]
            head = max(chars - 1 - len(tail), min(8, chars // 3))
            label = name[:head].rstrip() + "…" + tail
            labels[name] = label if len(label) <= chars else _fit(label, chars)
    return labels


def reduction_chart(rows: list[dict], *, label_keys: tuple[str, ...], chart: str, title: str) -> str:
    """Horizontal bars of reduction_pct, one per row as given (sort before), 25% marked."""
    label_w, right_w, row_h, top = 250, 150, 17, 40
    x0, x1 = label_w, WIDTH - right_w
    peak = max((r["reduction_pct"] or 0) for r in rows) if rows else 0
    scale = min(100, max(40, math.ceil(peak / 10) * 10))
    step = 10 if scale <= 60 else 20
    px = lambda pct: x0 + (x1 - x0) * pct / scale  # noqa: E731
    height = top + row_h * len(rows) + 6
    body = [_text(x0, 11, _("share of candidates removed, net of reinstatements"), size=10, fill=MUTED)]
    for tick in range(0, scale + 1, step):
        body.append(
            f'<line x1="{px(tick):.1f}" y1="{top - 6}" x2="{px(tick):.1f}" '
            f'y2="{height - 4}" stroke="{RULE}" stroke-width="1"/>'
        )
        body.append(_text(px(tick), top - 10, percent(tick, 0), anchor="middle", size=10, fill=MUTED))
    marker = px(CUT_THRESHOLD)  # drawn first, so that bars and labels lie over it
    body.append(
        f'<line x1="{marker:.1f}" y1="{top - 6}" x2="{marker:.1f}" y2="{height - 4}" '
        f'stroke="{RED}" stroke-width="1.2" stroke-dasharray="4 3"/>'
    )
    room_for = lambda secondary: 36 - min(len(secondary), 14) if secondary else 38  # noqa: E731

    def shown(row: dict, key: str) -> str:  # as the reader's language names it
        return str(value_label(key, row[key]))

    fitted = {
        width: distinct_labels([shown(r, label_keys[0]) for r in rows], width)
        for width in {room_for(" · ".join(shown(r, k) for k in label_keys[1:])) for r in rows}
    }
    for i, row in enumerate(rows):
        y = top + i * row_h
        pct = row["reduction_pct"] or 0
        primary = shown(row, label_keys[0])
        secondary = " · ".join(shown(row, k) for k in label_keys[1:])
        name = fitted[room_for(secondary)][primary]
        room = 37 - len(name)
        place = _fit(secondary, room) if secondary and room >= 6 else ""
        body.append(
            f"<g><title>{escape(primary)}{' · ' + escape(secondary) if secondary else ''}: {percent(pct)}</title>"
        )
        body.append(
            f'<text x="{x0 - 8}" y="{y + 11.5}" text-anchor="end" font-size="11" fill="{INK}">'
            + (f'<tspan fill="{MUTED}" font-size="9.5">{escape(place)}  </tspan>' if place else "")
            + f"{escape(name)}</text>"
        )
        body.append(
            f'<rect x="{x0}" y="{y + 2.5}" width="{max(px(pct) - x0, 1.5):.1f}" height="11" '
            f'fill="{severity(pct)}" rx="1.5"/>'
        )
        removed = row["deregistered"] - row["reinstated"]
        detail = _("{removed} of {candidates}").format(
            removed=number(removed), candidates=number(row["candidates"])
        )
        if row.get("uncontested"):
            detail += _(", uncontested")
        body.append(
            f'<text x="{px(pct) + 5:.1f}" y="{y + 11.5}" font-size="10.5" fill="{INK}">'
            f'<tspan font-weight="bold">{percent(pct)}</tspan>'
            f'<tspan fill="{MUTED}"> {escape(detail)}</tspan></text>'
        )
        body.append("</g>")
    return _svg(height, title, body, chart)


# --- discrepancy amounts on a log scale ----------------------------------------------------

BINS_PER_DECADE = 4
TRIVIAL_TIYN = 100_000  # 1,000 tenge
MAX_DOTS = 11
DOT = 12.0  # a dot's diameter, in the chart's units


def _tenge_label(value: float) -> str:
    if value >= 1_000_000_000:
        return f"{value / 1_000_000_000:g} billion"
    if value >= 1_000_000:
        return _("{count} million").format(count=money(f"{value / 1_000_000:g}", ""))
    return number(round(value)) if value >= 1 else money(f"{value:g}", "")


def amount_bins(amounts_tiyn: list[int]) -> list[tuple[str, int]]:
    """Counts per decade of tenge (for the Markdown report's table)."""
    counts = Counter(_decade(a) for a in amounts_tiyn)
    rows = []
    for decade in sorted(counts, key=lambda d: -math.inf if d is None else d):  # zero first
        if decade is None:
            rows.append((_("0 (no difference in tenge)"), counts[decade]))
            continue
        low, high = 10.0**decade, 10.0 ** (decade + 1)
        rows.append(
            (
                _("{low} to under {high}").format(low=_tenge_label(low), high=_tenge_label(high)),
                counts[decade],
            )
        )
    return rows


def _decade(tiyn: int) -> int | None:
    return None if tiyn <= 0 else math.floor(math.log10(tiyn / 100) + 1e-9)


def _bins(amounts_tiyn: list[int]) -> Counter:
    return Counter(math.floor(math.log10(a / 100) * BINS_PER_DECADE + 1e-9) for a in amounts_tiyn if a > 0)


def _positive(amounts_tiyn: Sequence[int]) -> Sequence[int]:
    """The amounts above zero, smallest first: a sorted array (a report's, read in order from
    SQL) is sliced, in memory a million cases keep small; anything else is sorted."""
    if isinstance(amounts_tiyn, array):
        return amounts_tiyn[bisect.bisect_right(amounts_tiyn, 0) :]
    return sorted(a for a in amounts_tiyn if a > 0)


def amounts_as_dots(amounts_tiyn: list[int]) -> bool:
    """A dot per case while no bin holds more than fit one above the other; else bars."""
    return max(_bins(amounts_tiyn).values(), default=0) <= MAX_DOTS


def amounts_chart(amounts_tiyn: list[int], *, title: str) -> str:
    """Each case a dot (or, when many, a bar) on a log axis of tenge, the trivial end shaded."""
    positive = _positive(amounts_tiyn)
    lo = min(-1, math.floor(math.log10(positive[0] / 100))) if positive else -1
    hi = max(6, math.ceil(math.log10(positive[-1] / 100) + 1e-9)) if positive else 6
    x0, x1, top, band = 24, WIDTH - 24, 26, 40  # band: where the smallest amounts are named
    tallest = max(_bins(positive).values(), default=0)
    stacks_top = top + band
    base = stacks_top + (max(tallest, 4) if amounts_as_dots(positive) else MAX_DOTS) * DOT + 6
    px = lambda tenge: x0 + (x1 - x0) * (math.log10(tenge) - lo) / (hi - lo)  # noqa: E731
    bins = _bins(positive)
    bin_w = (x1 - x0) / ((hi - lo) * BINS_PER_DECADE)
    dots = amounts_as_dots(positive)
    unit = DOT if dots else (base - stacks_top) / max(bins.values(), default=1)

    trivial = bisect.bisect_left(positive, TRIVIAL_TIYN)
    body = [
        f'<rect x="{x0}" y="{top}" width="{px(1000) - x0:.1f}" height="{base - top}" fill="#fbe9e7"/>',
        _text(
            x0,
            14,
            ngettext(
                "under {limit} tenge: {count} of {total} case",
                "under {limit} tenge: {count} of {total} cases",
                len(positive),
            ).format(limit=number(1000), count=number(trivial), total=number(len(positive))),
            size=11.5,
            fill=RED,
            weight="bold",
        ),
        _text(
            x1,
            14,
            _("{limit} tenge or more: {count}").format(
                limit=number(1000), count=number(len(positive) - trivial)
            ),
            anchor="end",
            size=11.5,
            fill=MUTED,
        ),
    ]
    for decade in range(lo, hi + 1):
        x = px(10.0**decade)
        body.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 5}" stroke="{MUTED}"/>')
        label = _tenge_label(10.0**decade)
        half = 3.1 * len(label)  # about half its width at 10.5 units: an end label stays inside
        anchor = "end" if x + half > WIDTH - 2 else "start" if x - half < 2 else "middle"
        body.append(_text(x, base + 18, label, anchor=anchor, size=10.5, fill=MUTED))
    body.append(f'<line x1="{x0}" y1="{base}" x2="{x1}" y2="{base}" stroke="{INK}" stroke-width="1.2"/>')
    body.append(
        _text(
            (x0 + x1) / 2,
            base + 36,
            _("discrepancy in tenge (log scale: each mark is ten times the one before)"),
            anchor="middle",
            size=10.5,
            fill=MUTED,
        )
    )
    centre = lambda index: x0 + (index - lo * BINS_PER_DECADE + 0.5) * bin_w  # noqa: E731
    for index, count in sorted(bins.items()):
        colour = RED if 10 ** ((index + 1) / BINS_PER_DECADE) <= 1000 + 1e-6 else GREY
        if dots:
            for k in range(count):
                cy = base - DOT / 2 - k * DOT
                body.append(
                    f'<circle cx="{centre(index):.1f}" cy="{cy:.1f}" r="{DOT / 2 - 0.5}" '
                    f'fill="{colour}" stroke="#fff" stroke-width="1"/>'
                )
        else:
            h = count * unit
            left = centre(index) - bin_w / 2
            body.append(
                f'<rect x="{left + 1:.1f}" y="{base - h:.1f}" width="{bin_w - 2:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
            body.append(_text(centre(index), base - h - 3, str(count), anchor="middle", size=9.5, fill=MUTED))
    # Name the smallest amounts outright, in a band above the stacks: they are the story.
    row_ends = [float("-inf"), float("-inf")]
    for tiyn in named_amounts(positive):
        x = px(tiyn / 100)
        label = f"{_amount(tiyn)} ₸"
        half = 3.6 * len(label) + 2
        centre_x = max(x, x0 + half)  # never cut off at the left edge
        row = 0 if centre_x - half >= row_ends[0] + 6 else 1
        centre_x = max(centre_x, row_ends[row] + 6 + half)
        row_ends[row] = centre_x + half
        y = top + 15 + 15 * row
        index = math.floor(math.log10(tiyn / 100) * BINS_PER_DECADE + 1e-9)
        stack_top = base - bins[index] * unit - (2 if dots else 14)
        body.append(
            f'<line x1="{centre_x:.1f}" y1="{y + 3}" x2="{x:.1f}" y2="{stack_top:.1f}" '
            f'stroke="{RED}" stroke-width="0.8"/>'
        )
        body.append(
            _text(centre_x, y, label, anchor="middle", size=12.5, fill=RED, weight="bold", cls="callout")
        )
    return _svg(base + 46, title, body, "discrepancies")


ICONIC_TIYN = 78  # 0.78 tenge: the rounding difference that cost Tulesova Asya her candidacy


def named_amounts(amounts_tiyn: list[int], count: int = 3, spread: int = 3) -> list[int]:
    """The smallest amount, then the next ones at least `spread` times the last named; and
    0.78 tenge whenever a case has it, the report's own example."""
    present = _positive(amounts_tiyn)
    named: list[int] = []
    for tiyn in present:  # smallest first
        if not named or tiyn >= spread * named[-1]:
            named.append(tiyn)
        if len(named) == count:
            break
    at = bisect.bisect_left(present, ICONIC_TIYN)
    if at < len(present) and present[at] == ICONIC_TIYN and ICONIC_TIYN not in named:
        named = sorted([*named, ICONIC_TIYN])
    return named


def _amount(tiyn: int) -> str:
    """A label: thousands grouped, and a whole amount without its decimals (1,000, 0.78)."""
    return money(format_amount(tiyn, "KZT").removesuffix(".00"), "")


# --- what became of the cases --------------------------------------------------------------


def outcomes_chart(outcomes: Counter, *, title: str) -> str:
    """One bar split by the cases' appeal outcomes, with a legend that names the counts."""
    total = sum(outcomes.values())
    x0, x1, y = 0, WIDTH, 6
    body, x = [], float(x0)
    order = [o for o in ("not_filed", "pending", "not_heard", "upheld", "reinstated") if outcomes[o]]
    for outcome in order:
        w = (x1 - x0) * outcomes[outcome] / total
        body.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="22" '
            f'fill="{OUTCOME_COLOURS[outcome]}" stroke="#fff"/>'
        )
        x += w
    lx, ly = 0.0, y + 44
    for outcome in ("not_filed", "pending", "not_heard", "upheld", "reinstated"):
        if not outcomes[outcome] and outcome != "reinstated":  # none reinstated is news; keep it
            continue
        label = f"{_(OUTCOME_LABELS[outcome])}: {number(outcomes[outcome])}"
        width = 26 + 6.4 * len(label)
        if lx + width > WIDTH:
            lx, ly = 0.0, ly + 18
        body.append(
            f'<rect x="{lx:.1f}" y="{ly - 10}" width="11" height="11" fill="{OUTCOME_COLOURS[outcome]}"/>'
        )
        body.append(_text(lx + 16, ly, label, size=11.5))
        lx += width
    return _svg(ly + 8, title, body, "outcomes")
