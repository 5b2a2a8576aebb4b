"""The report's charts print whole: no clipped axis label, no two districts alike, 0.78 named."""

from __future__ import annotations

import re

from dereg.report.charts import amounts_chart, distinct_labels, named_amounts, reduction_chart

PREFIX = "East Kazakhstan oblast maslikhat district "


def test_districts_sharing_a_long_prefix_print_differently():
    names = [f"{PREFIX}{n}" for n in (12, 13, 112)] + ["Semei"]
    labels = distinct_labels(names, 30)
    assert len(set(labels.values())) == len(names)
    assert all(len(label) <= 30 for label in labels.values())
    assert labels["Semei"] == "Semei"
    assert labels[f"{PREFIX}13"].endswith("13") and labels[f"{PREFIX}112"].endswith("112")
    rows = [
        {"district": name, "region": "East Kazakhstan", "reduction_pct": 30.0, "deregistered": 3,
         "reinstated": 0, "candidates": 10}
        for name in names
    ]  # fmt: skip
    svg = reduction_chart(rows, label_keys=("district",), chart="districts", title="t")
    shown = re.findall(r'text-anchor="end" font-size="11" fill="#1d2433">([^<]*)</text>', svg)
    assert len(shown) == len(set(shown)) == len(names)


def test_the_iconic_amount_is_named_even_among_smaller_ones():
    assert named_amounts([7, 33, 78, 8300, 50000]) == [7, 33, 78, 8300]
    assert named_amounts([78, 8300, 50000]) == [78, 8300, 50000]
    assert 78 not in named_amounts([7, 8300])
    svg = amounts_chart([7, 33, 78, 8300, 50000, 49220114517], title="t")
    assert "0.78 ₸" in svg


def test_the_last_axis_label_is_not_cut_off():
    svg = amounts_chart([78, 8300, 49220114517], title="t")  # up to 492 million tenge
    labels = re.findall(
        r'<text x="([0-9.]+)" y="[0-9.]+" text-anchor="(\w+)" font-size="10.5"[^>]*>([^<]*)</text>', svg
    )
    ticks = [(float(x), anchor, text) for x, anchor, text in labels if not text.startswith("discrepancy")]
    x, anchor, text = ticks[-1]
    assert text == "1 billion" and anchor == "end"
    x, anchor, text = ticks[0]
    assert anchor in ("start", "middle")
