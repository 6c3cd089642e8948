"""The Chinese translation is complete (the compiled file is checked by the label tests)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ZH_TS = ROOT / "resources" / "translations" / "herald_zh_CN.ts"


def test_no_chinese_translation_is_left_unfinished_or_empty():
    text = ZH_TS.read_text(encoding="utf-8")
    unfinished = re.findall(
        r"<source>(.*?)</source>\s*<translation type=\"unfinished\"", text, flags=re.S
    )
    assert not unfinished, f"fill these in herald_zh_CN.ts: {unfinished[:10]}"
    assert "<translation></translation>" not in text
