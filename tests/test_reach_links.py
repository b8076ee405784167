"""Attachments wherever detail pages put them, and list rows whose link reads 查看 (docs/REAL-SITES.md
§5.2): pure functions over rebuilt fragments of the layouts described there."""
from scrapy.selector import Selector

from crawler.links import attachment_kind, page_attachments
from crawler.decisions import row_title as title_of_row

PAGE = "http://www.cqtn.gov.cn/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/202601/t20260130_15369930.html"


def kinds(html):
    return [(url, kind) for url, _text, kind in page_attachments(html, PAGE)]


def test_relative_trs_upload_resolves_against_the_detail_pages_folder():
    assert kinds('<a href="./P020260130583917604021.pdf">附件1</a>') == [
        (PAGE.rsplit("/", 1)[0] + "/P020260130583917604021.pdf", "pdf")]


def test_iframe_embed_object_and_pdfjs_viewer():
    html = ('<iframe src="/pdfjs/web/viewer.html?file=/u/a.pdf"></iframe>'
            '<embed src="b.pdf" type="application/pdf"><object data="/u/c.pdf"></object>'
            '<iframe src="/u/d.pdf"></iframe>')
    assert [u.rsplit("/", 1)[1] for u, _k in kinds(html)] == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]


def test_onclick_window_open():
    assert kinds("""<span onclick="window.open('/u/表1.xls')">部门预算公开表</span>""") == [
        ("http://www.cqtn.gov.cn/u/表1.xls", "xls")]


def test_download_servlet_named_only_in_the_query_or_only_in_content_disposition():
    # www.shanghai.gov.cn/gwk/resource/file?pathname=…&filename=report.pdf (§5.2)
    assert attachment_kind("https://www.shanghai.gov.cn/gwk/resource/file?pathname=a/b&filename=report.pdf", "") == "pdf"
    # no name at all: fetched, and the Content-Disposition names the file
    assert attachment_kind("http://x.gov.cn/module/download?fileid=3", "附件1") == "?"
    assert attachment_kind("http://x.gov.cn/module/download?fileid=3", "返回首页") == ""


def test_ofd_and_rar_are_fetched_to_be_recorded_as_unsupported():
    assert [k for _u, k in kinds('<a href="a.ofd">附件</a><a href="b.rar">附件</a>')] == ["ofd", "rar"]


def test_each_attachment_once_and_ordinary_links_not_at_all():
    html = '<a href="a.pdf">附件</a><iframe src="a.pdf"></iframe><a href="index.html">返回</a>'
    assert len(kinds(html)) == 1


def row_title(html):
    return title_of_row(Selector(text=html).css("a")[0])


def test_a_row_whose_link_reads_chakan_takes_the_title_beside_it():
    html = ('<ul><li><p class="tit">重庆市荣昌区远觉镇人民政府本级2025年单位预算情况说明</p>'
            '<span>2025-02-10</span><a target="_blank" href="./202502/t20250210_14283337.html">查看</a></li></ul>')
    assert row_title(html) == "重庆市荣昌区远觉镇人民政府本级2025年单位预算情况说明"


def test_the_rows_date_is_not_part_of_the_title():
    html = ('<table><tr><td>重庆市梁平区安胜镇人民政府(本级)决算公开说明及公开报表</td><td>2025-10-21</td>'
            '<td><a href="./202510/t20251021_15099835.html">查看</a></td></tr></table>')
    assert row_title(html) == "重庆市梁平区安胜镇人民政府(本级)决算公开说明及公开报表"


class Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count

    def get_value(self, key, default=None):
        return self.get(key, default)


def test_list_pages_past_the_sites_cap_are_counted_not_silently_dropped():
    from types import SimpleNamespace

    from crawler.spiders.disclosures import DisclosuresSpider

    spider = DisclosuresSpider(site="cqtn")
    spider.crawler = SimpleNamespace(stats=Stats())
    spider.site.max_list_pages = 2
    column = "http://www.cqtn.gov.cn/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/"
    requests = [spider._list_request(f"{column}index_{n}.html") for n in range(1, 5)]
    assert [r is not None for r in requests] == [True, True, False, False]
    assert spider.crawler.stats["budgets/list_pages_capped"] == 2  # the monitor's alert reads this
