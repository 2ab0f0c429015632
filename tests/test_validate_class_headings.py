"""A row printed under a numbered class heading is a 款 of that class, never a class itself, even
when its name is the name of another class (issue #14: false across.function-classes)."""
from __future__ import annotations

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.validate import validate_package


def test_a_kuan_named_like_a_class_is_not_that_class(tmp_path):
    """016.pdf page 17 (收支总表) and page 40 (财政拨款收支总表) print, checked by hand against
    `pdftotext -layout -f 17 -l 17`: 五、援助其他地区支出 5,231.12 with its 款 住房保障 5,231.12 under it,
    then 六、住房保障支出 4,158.57. Class 221 is the 六、 row: compared with the function tables it
    agrees; the 款 住房保障 (5,231.12) was taken for class 221 and reported twice."""
    import pytest

    from tests.corpus_compare import CORPUS

    source = CORPUS / "016.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    disclosure = convert_file(source).disclosure
    report = validate_package(write_package(disclosure, tmp_path / "pk"), layers=("accounting",))
    wrong = [f.message for f in report.findings if f.rule == "across.function-classes"]
    assert wrong == [], wrong
