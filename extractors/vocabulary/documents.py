"""What a disclosure is: its department, district, year and stage, read from a page's title fields,
its cover and its title when the title alone does not say (extractors/titles.py). The words the
crawler reads in link texts and breadcrumbs are in crawler/navigation.py."""
from __future__ import annotations

import re

# ---- document metadata: titles, issuers and stages ----------------------------------------------
# What titles.py reads a disclosure's department, district, year and stage from, when the title
# alone does not say (a CMS <title> that is the column and site name, a title that starts with
# its year, a monthly 三公 page).

# A CMS's own title fields: <meta name="ArticleTitle">, then the article's title element
# (Hanweb/大汉 .article-title, TRS #title / .bt, and the generic .title, h1), before <title>.
ARTICLE_TITLE_META = ("ArticleTitle", "articletitle", "title", "og:title")
ARTICLE_TITLE_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-title ')]",
    "//*[@id='title' or @id='articleTitle' or @id='ArticleTitle' or @id='con_title']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' bt ')]",
    "//h1",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' title ')]",
    "//h2",
)
# A title naming its fiscal year: '2019年…', '24年预算'.
NAMES_A_YEAR = re.compile(r"20\d\d\s*年|(?<!\d)\d\d\s*年度?(?:部门|单位)?(?:预算|决算)")
# A <title> in parts, the article's and the site's: '某局2016年部门预算_某县人民政府',
# '某局2016年部门预算 - 某县政府网', '某局2016年部门预算｜某县人民政府'.
TITLE_PARTS = re.compile(r"\s*(?:[_｜|]|\s[-—–]\s|--|——)\s*")
# A line naming who issued the document: '部门（单位）：某县财政局', '来源：某县财政局', a PDF
# cover's '部门：中共某省委办公厅', '单位名称：…'. Group 1 is the name (up to a space or the unit).
ISSUER_LINE = re.compile(
    r"(?:部门\s*[(（]\s*单位\s*[)）]|编制部门|编制单位|填报单位|预算单位|主管部门|部门名称|单位名称|部门|来\s*源|发布机构|信息来源)"
    r"(?:名称)?\s*[:：]\s*([^\s:：|]{2,40}?)(?=\s|$|单\s*位\s*[:：]|[|]|发布|时间|日期|浏览|点击|20\d\d\s*年"
    r"|印制|监制)")
# A cover's printer after the issuer: '部门:中共某省委办公厅某省财政厅印制' (dropped from the name).
# The printer's place is the issuer's own ('江苏省'), so only a place printed before is dropped too.
PRINTER_SUFFIX = re.compile(r"财政(?:厅|局)$")

# Where a title that starts with its year stops naming its department: '2018年某乡1月份…',
# '2014年某局“三公”经费…', '2016年某局部门预算'.
AFTER_DEPARTMENT = re.compile(
    r"(?:省|市|县|区)级(?:部门|单位)|(?:部门|单位)?(?:预算|决算)|[“”\"]?三公|因公出国|财政拨款|一般公共预算|公共预算|政府性基金|\d{1,2}\s*[-—~至]?\s*\d{0,2}\s*月份?"
    r"|第?[一二三四1-4]\s*季度|上半年|前三季度|收支|收入|支出|经费|公开|公示|情况|信息|报表|表$")

# Not a department: a table's title ('收入决算表'), a table label ('附件2'), a file name
# ('2019.pdf', 'P020190315.xls'), a CMS column ('部门预决算', '信息公开').
NOT_A_DEPARTMENT = re.compile(
    r"表\s*(?:[(（][^()（）]{0,20}[)）])?$|^(?:附件|附表|表)\s*\d|\.[A-Za-z0-9]{2,5}$|^[\x00-\x7f]+$"
    r"|[:：]|^(?:省|市|县|区|镇|乡)级$|(?:预算|决算)(?:公开|信息|情况|说明|报告)?$|三公|公开$|公示$|目录|栏目|首页|政府网|门户网")

# The end of an organisation's name ('…办公厅', '…财政局', '…街道办事处', '…人民法院'): how a folder
# of downloaded files named after its department is told from one named 'corpus' or '2017'.
ORGANISATION_NAME = re.compile(
    r"[\u4e00-\u9fff][\u4e00-\u9fff（）()]*(?:局|委员会|委|办公厅|办公室|办|厅|院|会|处|中心|所|部|街道|镇|乡|"
    r"政府|馆|站|队|社|团|校|园|署|室|公司)$")

# Pages that report a year's execution month by month or quarter by quarter, neither a budget
# nor a final account: stage 'execution' (their amounts are actuals to date, basis 'actual').
EXECUTION_TITLE = re.compile(
    r"\d{1,2}\s*月份|\d{1,2}\s*[-—~至]\s*\d{1,2}\s*月|第?[一二三四1-4]\s*季度|上半年|前三季度|本月|月度")


STAGES = ("budget", "final_account", "execution")
STAGE_NAMES = {"budget": "预算", "final_account": "决算", "execution": "执行（月度/季度）"}
