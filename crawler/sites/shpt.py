"""上海市普陀区 (www.shpt.gov.cn): a department's 政务公开 column lists its disclosure pages
`/zhengwu/<column>/<year>/<day-of-year>/<id>.html`; the PDF sits in `…/<id>/<32-hex>.pdf`."""
from crawler.sites.base import ShanghaiJsonSite


class Putuo(ShanghaiJsonSite):
    name = "shpt"
    district = "上海市普陀区"
    allowed_domains = ("shpt.gov.cn",)
    host_aliases = {"shpt.gov.cn": "www.shpt.gov.cn"}
    roots = ("https://www.shpt.gov.cn/zhengwu/zfxxgkzn-zfxxgk/index.html",)  # 政府信息公开 (REAL-SITES §5.3)
    start_urls = (
        # 区司法局 部门预算 column: 2026 部门预算 …/2026/69/202297/ebec3667….pdf, 单位预算 …/202298/b0fd8c9e….pdf
        "https://www.shpt.gov.cn/zhengwu/sfjbb-sfj/index.html",
    )
    source = ("shared/corpus/SOURCES.md (official URLs of shpt_sfj_2026_budget.pdf and unit_budget.pdf) and "
              "docs/REAL-SITES.md §2.3 (Shanghai /zhengwu/<col>/<year>/<day>/<id>.html). The column's index.html "
              "follows the site's other columns (/zhengwu/qzfwj-zfwj/index.html); the live list may be filled by a "
              "JSON API: check before relying on it")
