"""Two neighbouring header cells whose wrapped words came out run together (公务用车购置 / 费 beside
公务用车运行 / 维护费 read as 公务用车购置公务用车运行费 and 公务用车购置公务用车运行维护费) are split
back into the two measures they name."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert import convert_file
from opendata.convert.header_repair import split_run_together
from opendata.convert.three_public import printed_spec
from opendata.standard import load_standard

from .documents import lines, text_document


def test_run_together_cells_split_back():
    spec = printed_spec(load_standard().tables["three_public_expenses"])   # the lines printed as columns
    header = [["小计", "公务用车购置公务用车运行费", "公务用车购置公务用车运行维护费"]]
    assert split_run_together(header, spec) == [["小计", "公务用车购置费", "公务用车运行维护费"]]
    assert split_run_together([["会议费", "培训费"]], spec) == [["会议费", "培训费"]]


def test_vehicle_columns_converted(tmp_path):
    table = "\n".join(["一般公共预算拨款“三公”经费支出预算表", "单位：元",
                       "单位名称\t合计\t因公出国（境）费用\t公务接待费\t公务用车购置及运行维护费\t\t",
                       "\t\t\t\t小计\t公务用车购置公务用车运行费\t公务用车购置公务用车运行维护费",
                       "合计\t300.00\t100.00\t50.00\t150.00\t100.00\t50.00",
                       "测试中心\t300.00\t100.00\t50.00\t150.00\t100.00\t50.00"])
    result = convert_file(text_document(tmp_path, table))
    unit = lines(result.disclosure.tables["three_public_expenses"], unit_name="测试中心")
    assert (unit["vehicle_purchase"]["total"], unit["vehicle_operation"]["total"]) == (Decimal("100.00"), Decimal("50.00"))
