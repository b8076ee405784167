"""The words and URL shapes the crawler reads on its way to the 预算/决算 columns: which link is a
column, which a folder to open, which to leave. Data only; crawler/discovery.py and
crawler/decisions.py apply it. A new province's catalogue or platform is a line here.

Sources: the Chongqing platform (docs/REAL-SITES.md §2.1), the national 政府信息公开目录 as the
Zhejiang, Jiangsu, Tianjin, Shandong and Henan sites of tests/fixtures/home_pages_2026 file it,
and the platforms named in issue 33.
"""
from __future__ import annotations

import re

# A column's name names a budget or a final account; these words make it a notice, a report or
# a platform holding columns instead.
COLUMN_WORD = re.compile(r"预决算|预算|决算")
NOT_A_COLUMN = re.compile(r"通知|公告|报告|执行|调整|审查|解读|征求意见|绩效|工作|平台")
# a name that ends as a column's does, long as a document's title: 三明's 预算 folder lists one
# column a year, '2026年度三明市本级部门预算公开专栏'
COLUMN_NAME_END = re.compile(r"专栏$")

# Links on the way to a column: the 政府信息公开 tree, directories of units, and the folders of
# the national catalogue that budgets are filed under (温州 政务公开 > 重点领域信息公开 > 财政信息 >
# 部门预算; 天津 cz.tj.gov.cn 政务公开 > 预决算公开统一平台 > 预算公开).
NAV_TEXT = re.compile(r"政务公开|信息公开|公开目录|法定主动公开|主动公开内容|部门|单位|镇街|街镇|乡镇|街道|镇乡|政府部门")
CATALOGUE_FOLDER = re.compile(r"财政信息|财政资金|资金信息|财务公开|财务管理|财务信息|财政预决算|重点领域"
                              r"|预决算公开(统一)?平台|预决算公开专栏|预决算专栏")
UNIT_NAME = re.compile(r"..(局|委|委员会|办|办公室|中心|镇|乡|街道|政府|法院|检察院|院|所|站|队|馆|学校|校|中学|小学|"
                       r"幼儿园|会|社|部|处|园区|管委会|团|台|联|公司)(本级)?$")
SKIP_TEXT = re.compile(r"新闻|动态|要闻|互动|办事服务|在线服务|便民服务|服务指南|在线办事|留言|信箱|专题|图片|视频|English|无障碍|登录|注册|首页|返回|"
                       r"上一页|下一页|尾页|末页|政策|解读|通知|公告|招聘|招标|采购|地图|网站|邮箱|app|微信|微博", re.I)
# parts of the 政府信息公开 tree that never hold a disclosure: the guide, the annual report, the
# rules and the request form
NOT_DISCLOSURE_FOLDER = re.compile(r"公开指南|年报|年度报告|公开制度|规章制度|依申请|申请公开|公开申请|在线申请")
# a portal's own name ('青岛政务网', '温州市人民政府'): its home page is the whole portal
PORTAL_NAME = re.compile(r"(人民政府|政府网|政务网|门户网站?)$")
# blocks of a page that list other sites (footers, 友情链接), whose links are not the site's own tree
FOOTER_BLOCK = re.compile(r"foot|bottom|yqlj|friend|link-?list|links\b|wzqt|qtwz", re.I)

CRUMB_MARK = re.compile(r"当前位置|您的位置|您现在的位置|所在位置|当前栏目")
ATTACHMENT_TEXT = re.compile(r"附件|下载|公开表|报表")
# links whose text says nothing: a list row's 查看 takes the row's title, a block's 更多 the
# block's heading
GENERIC_LINK_TEXT = re.compile(r"^(查看|详情|查看详情|点击查看|下载|阅读全文|more|\s*)$", re.I)
MORE_LINK_TEXT = re.compile(r"^[\s>»›+＋]*(更多|进入专栏|进入|查看更多|more)[\s>»›+＋.。…]*$", re.I)

# Folder pages of platforms whose list URLs are neither `…/` nor `index.html`: a catalogue's
# entry pages and its per-department or per-class queries.
FOLDER_URL_SHAPES = (
    re.compile(r"/(zwgk|xxgk|zfxxgk|gkml|xxgkml|zfxxgkml|fdzdgknr)(_\w+)?\.s?html?$"),  # …/zwgk.shtml, xxgk.html
    re.compile(r"/nav_list\.s?html?$"),
    re.compile(r"/xxgkml_bm\.s?html?$"),  # xxgkml_bm.shtml?deptcode=…
    re.compile(r"/class/[A-Z0-9]{6,}/?$"),  # /class/FMDNHCDC
    re.compile(r"/gi_class/"),
    re.compile(r"/col/col\d+/(\d{4}n/)?(index\.html)?$"),  # Hanweb columns and their year folders
)
# query keys that select a folder of a catalogue page (`?number=A07`, `?deptcode=…`, `/?d=1905`)
FOLDER_QUERY = re.compile(r"(^|&)(number|deptcode|deptid|dept_id|bmid|catid|classid|channelid|d)=\w+", re.I)
