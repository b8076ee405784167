import pytest

from extractors.titles import parse_title


@pytest.mark.parametrize("title, district, department, year, stage", [
    ("重庆市潼南区大数据应用发展管理局2026年部门预算公开", "重庆市潼南区", "大数据应用发展管理局", 2026, "budget"),
    ("上海市普陀区人民政府万里街道办事处24年预算", "上海市普陀区", "人民政府万里街道办事处", 2024, "budget"),
    ("上海市普陀区规划和自然资源局 2024 年度部门决算", "上海市普陀区", "规划和自然资源局", 2024, "final_account"),
    ("中共上海市普陀区委社会工作部 2024 年度部门决算", "上海市普陀区", "区委社会工作部", 2024, "final_account"),
    ("江苏省委办公厅2017年部门预算", "江苏省", "省委办公厅", 2017, "budget"),
    ("上海市财政局25年预算", "上海市", "财政局", 2025, "budget"),
    ("重庆市江津区区中心医院(本级)2025年单位预算", "重庆市江津区", "中心医院", 2025, "budget"),
    ("重庆市潼南区区卫生健康委员会 2026年部门预算", "重庆市潼南区", "卫生健康委员会", 2026, "budget"),
])
def test_title_gives_district_department_year_and_stage(title, district, department, year, stage):
    meta = parse_title(title)
    assert (meta.district, meta.department, meta.fiscal_year, meta.stage) == (district, department, year, stage)


def test_a_final_account_published_for_the_previous_year_keeps_its_own_year():
    assert parse_title("重庆市铜梁区双山镇人民政府(本级)2024年度决算公开说明").fiscal_year == 2024


def test_unit_scope_is_recorded():
    assert parse_title("重庆市九龙坡区大数据应用发展管理局(本级)2026年预算").scope == "本级"
