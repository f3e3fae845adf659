"""A result encoded once (``scoring.result.encode``, by the worker) gives the state and spool lines that
``json.dumps`` of the FileResult gives."""

from __future__ import annotations

import json
import math
import random

from xlperf.batch.infer import _Spool
from xlperf.batch.state import StateFile
from xlperf.scoring.result import Encoded, FileResult, encode


def _result(rng: random.Random, index: int) -> FileResult:
    text = rng.choice(["单位001.xlsx", 'a "quoted"\\ name\t\n', "\u2028é\x00", "x" * 40])
    number = rng.choice([None, 0.1 + 0.2, 95.04999999999998, -0.0, 1e300, math.inf, math.nan, 7])
    full = rng.random() < 0.3
    sent = {"key": f"table:{index % 3}", "base": f"b{index % 2}", **(
        {"full": {"cells": {"评分表\x1fr3\x1f2": "s:" + text}, "typed": {"c": number}}} if full else
        {"set": {"评分表\x1fr4\x1f6": "n:" + str(number)}, "drop": [text], "alone": False, "typed": {text: number}})}
    return FileResult(text, status=rng.choice(["ok", "errors", "failed"]), framework=rng.choice([None, "generic"]),
                      info={"项目": text}, stated_total=number, total=number, grade="优",
                      level_totals={"决策": {"weight": 15.0, "score": number}},
                      counts={"error": rng.randint(0, 3), "warning": 0, "info": 1},
                      findings=[{"code": "x", "severity": "error", "sheet": text, "cell": "A1", "message": text,
                                 "row": None}],
                      written=None, seconds=rng.random(), structure=sent, path=f"/in/{text}")


def test_the_encoded_lines_are_json_dumps_of_the_result(tmp_path):
    rng = random.Random(3)
    for index in range(200):
        result = _result(rng, index)
        whole = json.dumps(result.to_dict(), ensure_ascii=False)
        encoded = encode(result)
        assert encoded.state() == whole.encode()
        assert encoded.status == result.status and encoded.counts == result.counts
        assert json.loads(encoded.spooled(), parse_constant=str) == json.loads(
            json.dumps({**result.to_dict(), "structure": None}, ensure_ascii=False), parse_constant=str)
        assert encoded.decode().to_dict().keys() == result.to_dict().keys()

        old, new = _Spool(tmp_path / "old"), _Spool(tmp_path / "new")
        sent_old = old.write(FileResult.from_dict(json.loads(whole)))
        sent_new = new.write(encoded)
        old.flush(), new.flush()
        assert (tmp_path / "old").read_bytes() == (tmp_path / "new").read_bytes()
        assert sent_old[1] == sent_new[1]
        assert sent_new[2] == (sent_old[2] if "full" in sent_old[0] else "")  # the Tally reads a base's JSON only
        voted = {k: v for k, v in sent_old[0].items() if k != "typed" or "full" in sent_old[0]}
        assert json.dumps(voted) == json.dumps(sent_new[0])  # (NaN is not equal to itself)


def test_the_state_line_of_an_encoded_result_is_the_line_of_the_result(tmp_path):
    rng = random.Random(4)
    results = [_result(rng, index) for index in range(50)]
    for folder, form in (("a", lambda r: r), ("b", encode)):
        (tmp_path / folder).mkdir()
        state = StateFile(tmp_path / folder, False, {"inputs": ["x"]})
        for index, result in enumerate(results):
            state.record(f"/in/单位{index}|1|2", form(result))
        state.close()
    state = ".xlperf-progress.jsonl"
    assert (tmp_path / "a" / state).read_bytes() == (tmp_path / "b" / state).read_bytes()
    assert isinstance(encode(results[0]), Encoded)


def test_results_wait_for_idle_or_close_only_with_every(tmp_path):
    """With ``every`` the lines wait in memory until that time has passed, the pool is idle or the run ends."""
    results = [_result(random.Random(5), index) for index in range(3)]
    for result in results:
        result.status = "ok"  # (a failed file's line is read as one to check again)
    for every, written in ((0.0, 2), (3600.0, 0)):
        folder = tmp_path / str(every)
        folder.mkdir()
        state = StateFile(folder, False, {"inputs": ["x"]}, every=every)
        for index, result in enumerate(results[:2]):
            state.record(f"k{index}", encode(result))
        lines = lambda: (folder / ".xlperf-progress.jsonl").read_bytes().splitlines()  # noqa: E731
        assert len(lines()) == 1 + written
        state.idle()
        assert len(lines()) == 3
        state.record("k2", results[2])
        assert len(lines()) == 3 + (every == 0)
        state.close()
        assert len(lines()) == 4 and StateFile(folder, True, {"inputs": ["x"]}).done.keys() == {"k0", "k1", "k2"}
