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


def test_classes_printed_with_their_rows_and_no_codes_add_up_to_the_total(tmp_path):
    """080.pdf pp. 28–29 (湖州市交通运输局 2026, 表04 财政拨款收支预算总表), read off `pdftotext -layout -f 28 -l 29`: the
    expenditure side prints each class with its 款 and 项 under it, no codes, no numbering; the classes (一般公共服务支出
    0.64 … 其他支出 75,500.00) add up to 192,207.76 万元 but 支出总计 is printed 42,673.03 (hand list 080-1). Found by a
    new-user trial; over the corpus no other table gets a new finding from reading the class rows."""
    import pytest

    from tests.corpus_compare import CORPUS

    source = CORPUS / "080.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    report = validate_package(write_package(convert_file(source).disclosure, tmp_path / "pk"), layers=("accounting",))
    found = [f for f in report.findings if f.rule == "sum.total-row" and f.table == "fiscal_appropriation_summary"]
    assert [(str(f.found), str(f.expected), f.severity) for f in found] == [("426730300", "1922077600", "error")]
