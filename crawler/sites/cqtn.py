"""重庆市潼南区 (www.cqtn.gov.cn): department sub-sites on the Chongqing TRS platform."""
from crawler.sites.base import ChongqingDistrictSite


class Tongnan(ChongqingDistrictSite):
    name = "cqtn"
    district = "重庆市潼南区"
    allowed_domains = ("cqtn.gov.cn",)
    host_aliases = {"cqtn.gov.cn": "www.cqtn.gov.cn"}
    roots = ("http://www.cqtn.gov.cn/",)  # the home: discovery finds the other units' columns
    start_urls = (
        # 区卫生健康委员会 预算 column; its 2026 部门预算 is t20260130_15369930.html
        "http://www.cqtn.gov.cn/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/index.html",
    )
    source = ("docs/REAL-SITES.md §1A #41 and §2.1 (cqtn: /bm/<dept>/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/); "
              "the index.html/createPageHTML list pages are the TRS convention, not seen in stored copies")
