"""What the pages show of a batch, from its ``results.json`` data: counts, grades, the 退回清单."""

from __future__ import annotations

from typing import Any

GRADES = ("优", "良", "中", "差")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"ok": "通过", "warnings": "有警告", "errors": "有错误", "failed": "无法校验", "skipped": "已跳过"}


def grade_counts(entries: list[dict[str, Any]]) -> dict[str, int]:
    """Files per recomputed grade (优 良 中 差), plus 未评 for files without a total."""
    counts = {g: 0 for g in GRADES}
    counts["未评"] = 0
    for entry in entries:
        if entry.get("status") == "skipped":
            continue
        grade = entry.get("grade")
        counts[grade if grade in counts else "未评"] += 1
    return counts


def returns_list(entries: list[dict[str, Any]], shown: int = 3) -> list[dict[str, Any]]:
    """The 退回清单: every file with an error (or that could not be checked), worst first, with its
    first findings in plain words."""
    out = []
    for entry in entries:
        if entry.get("status") not in ("errors", "failed"):
            continue
        errors = [f for f in entry.get("findings", []) if f.get("severity") == "error"]
        info = entry.get("info") or {}
        out.append({"file": entry["file"], "unit": info.get("unit") or "", "project": info.get("project") or "",
                    "total": entry.get("total"), "grade": entry.get("grade"), "status": STATUS_ZH[entry["status"]],
                    "errors": (entry.get("counts") or {}).get("error", len(errors)), "first": errors[:shown]})
    return sorted(out, key=lambda r: (-r["errors"], r["file"]))


def batch_view(results: dict[str, Any]) -> dict[str, Any]:
    """Everything the bureau page's summary needs."""
    entries = results.get("files", [])
    statuses = {name: 0 for name in STATUS_ZH}
    for entry in entries:
        statuses[entry.get("status", "failed")] = statuses.get(entry.get("status", "failed"), 0) + 1
    totals = [e["total"] for e in entries if isinstance(e.get("total"), (int, float))]
    return {"files": len(entries), "statuses": {STATUS_ZH[k]: v for k, v in statuses.items()},
            "grades": grade_counts(entries), "returns": returns_list(entries),
            "mean": round(sum(totals) / len(totals), 2) if totals else None}


def location(finding: dict[str, Any]) -> str:
    """「评分表」K18, 「评分表」, or 整个文件."""
    if finding.get("sheet") and finding.get("cell"):
        return f"「{finding['sheet']}」{finding['cell']}"
    if finding.get("sheet"):
        return f"「{finding['sheet']}」"
    return "整个文件"
