"""Every form of ``specs`` and ``defects`` written with xlsxwriter, then opened, recalculated and saved by
LibreOffice in one process (the cached values of the forms' own formulas are LibreOffice's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.forms.defects import DEFECTS
from tests.forms.model import Form, Placed
from tests.forms.render import render
from tests.forms.specs import FORMS
from xlperf import libreoffice


@dataclass(frozen=True)
class Built:
    """One fixture: the form as data, where render put things, the file LibreOffice saved."""

    name: str
    form: Form
    placed: Placed
    path: Path


@pytest.fixture(scope="session")
def built_forms(tmp_path_factory) -> dict[str, Built]:
    if libreoffice.soffice() is None:
        pytest.skip(libreoffice.INSTALL_HINT)
    folder = tmp_path_factory.mktemp("forms")
    (folder / "office").mkdir()
    made: dict[str, tuple[Form, Placed, Path]] = {}
    makers = {name: make for name, (make, _) in FORMS.items()} | {name: d.make for name, d in DEFECTS.items()}
    for name, make in makers.items():
        form = make()
        placed, _ = render(form, folder / "office" / f"{name}.xlsx")
        made[name] = (form, placed, folder / "office" / f"{name}.xlsx")
    done = libreoffice.convert([path for _, _, path in made.values()], folder / "saved", "xlsx", recalc=True,
                               timeout=300)
    assert not done.timed_out, done.stderr
    out = {}
    for name, (form, placed, path) in made.items():
        saved = done.output(path)
        assert saved is not None, (name, done.stderr)
        out[name] = Built(name, form, placed, saved)
    return out
