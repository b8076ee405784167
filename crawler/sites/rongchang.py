"""重庆市荣昌区 (www.rongchang.gov.cn): departments and towns share the platform's template ids
(zwgk_70831/fdzdgknr_70834 for departments, zwgk_70755/fdzdgknr_70758 for towns)."""
from crawler.sites.base import ChongqingDistrictSite


class Rongchang(ChongqingDistrictSite):
    name = "rongchang"
    district = "重庆市荣昌区"
    allowed_domains = ("rongchang.gov.cn",)
    host_aliases = {"rongchang.gov.cn": "www.rongchang.gov.cn"}  # both spellings occur
    roots = ("http://www.rongchang.gov.cn/",)  # the home: 区政府部门 and 镇街 directories, 政府信息公开
    max_list_pages = 3000  # 336 units and 21 镇街, ~700 columns (REAL-SITES §1B #62), some with pagers
    start_urls = (
        "http://www.rongchang.gov.cn/bm/qjw/zwgk_70831/fdzdgknr_70834/ysjs/ysgk/index.html",  # 区教委 预算
        "http://www.rongchang.gov.cn/bm/qwhlyw/zwgk_70831/fdzdgknr_70834/ysjs/jsgk/index.html",  # 区文旅委 决算
        "http://www.rongchang.gov.cn/jz/yjz/zwgk_70755/fdzdgknr_70758/ysjs/ysgk/index.html",  # 远觉镇 预算
        "http://www.rongchang.gov.cn/jz/gsz/zwgk_70755/fdzdgknr_70758/ysjs/ysgk/index.html",  # 观胜镇 预算
    )
    source = ("docs/REAL-SITES.md §1A #12–17 and §2.1 (rongchang: /bm/<dept>/zwgk_70831/fdzdgknr_70834/ysjs/"
              "{ysgk,jsgk}/, towns /jz/<town>/zwgk_70755/fdzdgknr_70758/ysjs/ysgk/); list pages by TRS convention")
