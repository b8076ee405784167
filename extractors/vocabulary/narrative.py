"""The narrative's words: template text a disclosure left unfilled, and what a stated figure's
concept is (the audit's narrative checks)."""
from __future__ import annotations

import re

# Template text a disclosure left unfilled (the audit's `placeholder` check): pattern, what it is.
# The template's own "增加（或减少）" left in place is the `narrative` check's TEMPLATE_LEFTOVER.
TEMPLATE_LEFTOVER = re.compile(r"(增加|减少|增长|下降)[（(]或(增加|减少|增长|下降)[)）]")
PLACEHOLDERS = [
    (re.compile(r"(?:XX|xx|ＸＸ|××|╳╳|＊＊|\*\*)(?:[\u4e00-\u9fff])|20(?:XX|xx|××)年|某(?:局|单位|部门|委|办|街道|镇)"),
     "a placeholder name"),
    (re.compile(r"[（(]\s*[)）]\s*(?:万元|元|%|％)"), "an empty blank before its unit"),
    (re.compile(r"(增加|减少|增长|下降)[（(](增加|减少|增长|下降)[)）]"), "both directions without 或"),
    (re.compile(r"(?:主要原因是|主要用于|原因是)[：:]?[。；;]"), "a reason left empty"),
    (re.compile(r"增加持平|减少持平|增长持平|下降持平"), "a change and 持平 at once"),
]
UNIT_SAYS_DEPARTMENT = "部门预算安排"
DEPARTMENT_SAYS_UNIT = "单位预算安排"


# A stated figure's concept (the audit's narrative checks): before the scope word, what narrows it
# ('上年结转结余的一般公共预算收入' is what is carried over, '委托业务费财政拨款总额' an expense of the
# scope, 'X的一般公共预算'); after it, only words that still name the whole scope (收入, 当年拨款,
# 收支总预算 …): anything else is a thing paid from it ('一般公共预算安排委托业务费').
CONCEPT_NARROWED_BEFORE = re.compile(r"结转|结余|(?:的|费)$")
CONCEPT_WHOLE_AFTER = re.compile(
    r"^(?:收入|支出|收支|拨款|当年|本年|年初|财政|预算|资金|经费|总额|总计|合计|总数|总|数|金额|共计|共|为|安排)*$")
# Within a sentence, what follows these explains or spends the figure before it: after a reason
# marker, an amount whose label names a thing of a concept ('…主要原因是…因公出国（境）工作的国内服务费
# 3.2万元') is part of the cause, not the concept's total; after a use marker in a sentence about one
# subject, the figures are that subject's parts ('“农林水支出”科目83万元，主要用于人员经费18万元').
REASON_MARKER = re.compile(r"主要原因|原因是|主要是|系因|由于")
USE_MARKER = re.compile(r"主要用于|用于")
# a label naming a thing that belongs to the concept before it ('因公出国（境）工作的国内服务费')
POSSESSED = re.compile(r"的[\u4e00-\u9fff]{2,}$")
