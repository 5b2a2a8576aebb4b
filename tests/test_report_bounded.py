"""A report of any size is a page a person can use: the district and case tables are bounded,
say so, and point to where everything is; the figures still count every case."""

import json

from dereg.report import sources


def test_a_large_report_lists_the_hardest_hit_and_the_smallest_and_counts_the_rest(
    run, tmp_path, monkeypatch
):
    rows = [
        "election,region,district,candidate,decision,decided_on,discrepancy_amount,district_seats,district_candidates"
    ]
    for d in range(6):  # district d loses d + 1 of 10 candidates
        for c in range(d + 1):
            rows.append(
                f"2016 maslikhat,Almaty,okrug {d},C{d}-{c},refused,2016-03-01,{(d * 10 + c) * 7 + 1},1,10"
            )
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert run("import", "cases", str(path)).exit_code == 0
    appealed = 21  # the largest discrepancy: listed for its appeal, not for its size
    assert run("appeal", "add", str(appealed), "--court", "c", "--outcome", "upheld").exit_code == 0
    monkeypatch.setattr(sources, "DISTRICT_LIMIT", 3)
    monkeypatch.setattr(sources, "CASE_LIMIT", 2)
    report = run("report", "--format", "markdown")
    assert report.exit_code == 0, report.stderr
    text = report.stdout
    assert "### Cases (21), smallest discrepancy first" in text
    assert "The 3 districts where removals cut competition most are listed of 6" in text
    assert "The 3 cases listed of 21 are the 2 smallest discrepancies and 1 more that went to court" in text
    by_district = text.split("### By district")[1].split("### Cases")[0]
    districts = [line for line in by_district.splitlines() if line.startswith("| Almaty | okrug")]
    assert {line.split("|")[2].strip() for line in districts} == {"okrug 3", "okrug 4", "okrug 5"}
    listed = [
        line.split("|")[1].strip()
        for line in text.split("### Cases")[1].splitlines()
        if line.startswith("| ")
    ]
    assert listed[1:] == ["1", "2", str(appealed)]  # after the header row
    html = run("report", "-o", str(tmp_path / "r.html"))
    assert html.exit_code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("data-case-id=") == 3 and "<h3>Cases (21)</h3>" in page
    summary = json.loads(run("summary", "--by", "election", "-f", "json").stdout)[0]
    assert f'data-key="deregistered" data-value="{summary["deregistered"]}"' in page  # every case counted
