"""浙江省绍兴市上虞区 (www.shangyu.gov.cn): a Hanweb JCMS site; each department's 财政信息 column
lists its budget and final-account disclosures."""
from crawler.sites.base import HanwebSite


class Shangyu(HanwebSite):
    name = "shangyu"
    district = "绍兴市上虞区"
    allowed_domains = ("shangyu.gov.cn",)
    host_aliases = {"shangyu.gov.cn": "www.shangyu.gov.cn"}
    start_urls = (
        # 统计局 >> 财政信息 >> 财政决算: 区统计局(汇总) 2021 部门决算 is art_1229415861_3955429.html
        "http://www.shangyu.gov.cn/col/col1229415861/index.html",
    )
    source = ("docs/REAL-SITES.md §1E #91 (http://www.shangyu.gov.cn/art/2022/9/7/art_1229415861_3955429.html) and "
              "§2.3 (Hanweb: list /col/col<colId>/index.html, detail /art/YYYY/M/D/art_<colId>_<docId>.html); "
              "the column id is the one in the detail URL. The datastore list markup is Hanweb's usual one, "
              "not seen in the stored copies")
