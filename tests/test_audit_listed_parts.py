"""An amount and the parts a text lists for it, wherever prose is printed: the narrative and the
prose cells of tables (a performance table's 项目概况). Texts as printed in real disclosures."""
from budgets.audit import narrative
from budgets.audit.model import Disclosure
from extractors.enumeration import listed
from test_audit_seed_lines import DOCUMENT

# 潼南区大数据应用发展管理局 2026 附件12-1 (the seed), 项目概况 of 推进数字重庆建设项目 (资金总额 58.16)
DIGITAL_CHONGQING = ("一是区数建办运转费用28.16万元。(技术支撑团队6人*660*12=47520元);举办推进数字重庆建设相关培训费用15万元"
                     "(举办数字化培训12场,经费15万元);组织数字重庆建设相关会议经费8.16万元(承接市级数字重庆建设推进会4次,"
                     "举办区级推进数字重庆建设会议4次,按照二类会议标准预算,120人*170元*0.5天*8次=8.16万元);"
                     "二是数字重庆建设AI+应用建设费用30万元(建设场景1个,预计30万)")
# the same 附件12, 电子政务外网 project: three services side by side, not one amount and its parts
SIDE_BY_SIDE = "一是核心层电子政务外网架构及设备服务,经费预算75万元;接入层设备服务,经费预算120万元;链路服务,经费预算150万元"
# 深圳市生态环境局 2026 部门预算 p.11 (printed page 8): 元 printed for 万元
POLLUTION = ("2.污染防治项目18,686.86元，主要包括：水生态环境管理工作3,953.30万元，主要用于水生态调查、地下水污染防治、"
             "水功能区管理、美丽河湖保护与建设等；生态、土壤和海洋生态环境管理3,918.70万元，主要用于开展自然生态监管、海洋、"
             "土壤和农业农村污染防治等；核与辐射安全管理2,900.00万元，主要用于优化审批服务、完善执法监管体系、提升应急能力和"
             "强化科普宣传成效等；大气污染防治2,582.44万元，主要用于空气质量、扬尘防治、挥发性有机物防治、消耗臭氧层物质管控等；"
             "固体废物污染防治2,082.87万元，主要用于危险废物管理、一般工业固体废物管理、废旧物资循环利用体系建设、新污染物治理、"
             "重金属等；污染源管理工作工作1,605.10万元，主要用于噪声、光等污染防治、污染减排等；环境安全和应急管理845.98万元，"
             "主要用于突发环境事件应急技术服务，环境应急“四基地一中心”资源保障等，为提高部门环境应急能力、应对各类突发环境事件"
             "提供技术支撑；政府投资运维798.46万元，用于深圳市空天地一体化大气观测网设备运行维护。")


def cell(text, row=4):
    return {"id": "c1", "position": 90, "page": None, "text": text, "table_index": 11, "row_index": row}


def performance_table():
    return {"table_index": 11, "label": "附件12-1", "title": "2026年区级预算绩效目标申报表", "table_kind": "performance"}


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def test_an_items_amount_is_the_sum_of_the_clauses_that_follow_it():
    [first] = listed(DIGITAL_CHONGQING)  # 二是 …30万元 lists no parts
    assert (first.head.fen, [p.fen for p in first.parts]) == (28_160_000, [4_752_000, 15_000_000, 8_160_000])


def test_a_project_description_in_a_table_cell_that_does_not_add_up_is_an_error_with_its_place():
    disclosure = Disclosure(DOCUMENT, [], [cell(DIGITAL_CHONGQING)], tables=[performance_table()])
    [finding] = errors(narrative.check(disclosure))
    assert (finding.expected.wan, finding.actual.wan) == (27.912, 28.16)
    assert finding.evidence.startswith("附件12-1 row 5: “一是区数建办运转费用28.16万元。")


def test_prose_cells_are_not_the_narrative():
    disclosure = Disclosure(DOCUMENT, [], [cell(DIGITAL_CHONGQING)], tables=[performance_table()])
    assert disclosure.paragraphs == [] and [c["text"] for c in disclosure.cells] == [DIGITAL_CHONGQING]


def test_an_amount_closed_by_a_semicolon_stands_beside_the_next_not_over_them():
    assert listed(SIDE_BY_SIDE) == []
    assert narrative.check(Disclosure(DOCUMENT, [], [cell(SIDE_BY_SIDE)], tables=[performance_table()])) == []


def test_parts_in_wan_under_an_amount_printed_in_yuan_are_an_error():
    [finding] = errors(narrative.check(Disclosure(DOCUMENT, [], [{"id": "p", "position": 0, "page": 11,
                                                                   "text": POLLUTION}])))
    assert (finding.expected.wan, finding.actual.wan) == (18686.85, 1.868686)
    assert finding.evidence.startswith("text p.11: “2.污染防治项目18,686.86元")


def test_some_parts_listed_fall_short_of_their_amount_without_contradicting_it():
    # 深圳市卫生健康委员会 2026 p.10: '4.卫生健康行业管理4,568.92万元，主要包括：医师管理535.55万元，…；医政医管…245.00万元，…'
    text = ("4.卫生健康行业管理4,568.92万元，主要包括：医师管理535.55万元，用于组织医师资格考试、医师定期考核、医师注册备案等工作；"
            "医政医管业务工作经费245.00万元，按国家和省卫生健康委相关文件要求，开展医疗机构感染专项督导、重症医学质量管理与控制"
            "督导、日间手术质量管理、医院等级评审等工作，开展全市公立医院绩效考核以及非公立医院医疗服务质量评估和监测工作，"
            "组织医疗机构药品使用监测、临床综合评价、处方点评、药学服务等工作。")
    assert narrative.check(Disclosure(DOCUMENT, [], [{"id": "p", "position": 0, "page": 10, "text": text}])) == []


def test_whole_figures_among_some_parts_keep_their_rounding():
    # 深圳市文化广电旅游体育局 2026 p.9: 3,017 + 350 + 75 against 3,441.94, each part rounded to 1万元
    text = ("8.全民健身及体育竞赛管理预算3,441.94万元，主要包括体育竞赛3,017万元，主要用于体育竞赛管理、全国足球发展重点城市"
            "高水平后备人才基地建设；省运会赛事团部经费350万元；群众体育管理工作75万元，根据全民健身管理工作有关要求，用于群众体育管理。")
    assert errors(narrative.check(Disclosure(DOCUMENT, [], [{"id": "p", "position": 0, "page": 9, "text": text}]))) == []


def test_a_comparison_after_a_part_is_not_a_part():
    # unit_budget.pdf (上海市普陀区司法局 2026) p.6: 8695.94 = 8695.94 + 0 + 0 + 0; the 794.88 is the change
    text = ("2026年单位预算编制说明2026年，上海市普陀区司法局收入预算8695.94万元，其中：财政拨款收入8695.94万元，比2025年预算增加794.88万元；"
            "事业收入0万元；事业单位经营收入0万元；其他收入0万元。")
    assert narrative.check(Disclosure(DOCUMENT, [], [{"id": "p", "position": 0, "page": 6, "text": text}])) == []


def test_a_threshold_is_not_a_part():
    # 深圳市城市管理和综合执法局 2026 p.14
    text = ("2026年计划购置车辆2辆、57万元，主要是更新购置应急保障用车（中巴）45万元、机要通信用车12万元；"
            "单价100万元以上设备0台（套）、0万元，主要是2026年无100万元以上设备采购计划。")
    assert narrative.check(Disclosure(DOCUMENT, [], [{"id": "p", "position": 0, "page": 14, "text": text}])) == []
