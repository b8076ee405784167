"""重庆市九龙坡区 (cqjlp.gov.cn): department sub-sites and the main tree's 部门财政预决算 column."""
from crawler.sites.base import ChongqingDistrictSite


class Jiulongpo(ChongqingDistrictSite):
    name = "cqjlp"
    district = "重庆市九龙坡区"
    allowed_domains = ("cqjlp.gov.cn",)
    host_aliases = {"www.cqjlp.gov.cn": "cqjlp.gov.cn"}  # stored URLs have no www.
    roots = ("http://cqjlp.gov.cn/",)  # the home: discovery finds the other units' columns
    start_urls = (
        # 区卫生健康委 (华岩镇卫生院 2026 预算 t20260210_15409428)
        "http://cqjlp.gov.cn/bmjz/qzfbm_97119/qwsjkw_97728/zwgk_97124/fdzdgknr_97126/ysjs/ys/index.html",
        # 区大数据应用发展管理局 (2026 预算 t20260210_15415843)
        "https://cqjlp.gov.cn/bmjz/qzfbm_97119/dsjfzj/zwgk_97124/fdzdgknr_97126/ysjs/ys/index.html",
        # main tree: 部门财政预决算情况 (港航事务中心 2025 t20250123_14198052)
        "http://cqjlp.gov.cn/zwgk_251/zfxxgkml/czyjs/bmczyjsqk/ysjs12/index.html",
    )
    source = ("docs/REAL-SITES.md §1A #31–33 and §2.1 (cqjlp: /bmjz/qzfbm_97119/<dept>/zwgk_97124/"
              "fdzdgknr_97126/ysjs/ys/ and /zwgk_251/zfxxgkml/czyjs/bmczyjsqk/ysjs12/); list pages by TRS convention")
