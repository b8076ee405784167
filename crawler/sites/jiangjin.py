"""重庆市江津区 (www.jiangjin.gov.cn): department and town sub-sites, 预算 (ys) and 决算 (js) columns."""
from crawler.sites.base import ChongqingDistrictSite


class Jiangjin(ChongqingDistrictSite):
    name = "jiangjin"
    district = "重庆市江津区"
    allowed_domains = ("jiangjin.gov.cn",)
    host_aliases = {"jiangjin.gov.cn": "www.jiangjin.gov.cn"}
    roots = ("http://www.jiangjin.gov.cn/",)  # the home: discovery finds the other units' columns
    start_urls = (
        # 区卫生健康委: 区中心医院 2025 预算 (ys), 嘉平镇卫生院 2024 决算 (js)
        "http://www.jiangjin.gov.cn/bm/qwsjkw_69019/zwgk_81474/fdzdgknr_81476/ysjs_81483/ys/index.html",
        "http://www.jiangjin.gov.cn/bm/qwsjkw_69019/zwgk_81474/fdzdgknr_81476/ysjs_81483/js/index.html",
        # 区统计局 2024 决算
        "http://www.jiangjin.gov.cn/bm/qtjj_69023/zwgk_81474/fdzdgknr_81476/ysjs_81483/js/index.html",
        # 西湖镇 2024 决算 (town template: zwgk_81486/fdzdgknr_81488/czyjs)
        "http://www.jiangjin.gov.cn/jz/xhzrmzf_69055/zwgk_81486/fdzdgknr_81488/czyjs/js/index.html",
    )
    source = ("docs/REAL-SITES.md §1A #25–28 and §2.1 (jiangjin: /bm/<dept>_<n>/zwgk_81474/fdzdgknr_81476/"
              "ysjs_81483/{ys,js}/, towns /jz/<town>_<n>/zwgk_81486/fdzdgknr_81488/czyjs/js/); list pages by TRS convention")
