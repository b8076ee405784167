"""The 38 Chongqing districts and counties and the 16 Shanghai districts, each a few lines of data:
host, other spellings, district name, the roots to discover columns from, the disclosure pages
docs/REAL-SITES.md documents (their columns become seed start URLs), where it all comes from,
and `verified` (empty until a person has run `budgets smoke --site NAME` against the live site).

Districts with a config module of their own (cqtn, cqjlp, jiangjin, rongchang, shpt) are listed
in `OWN_MODULES` and not generated here. A district whose host is not in REAL-SITES is
`usable = False`: `--all` skips it until someone checks the host.
"""
from __future__ import annotations

import re

from crawler.sites.base import AnyPlatformSite, ChongqingDistrictSite

DOC = "docs/REAL-SITES.md"
OWN_MODULES = ("cqtn", "cqjlp", "jiangjin", "rongchang", "shpt")

# name, district, host (as recorded), documented disclosure pages (the section first), roots
CHONGQING = [
    ("wz", "万州区", "www.wz.gov.cn", ["§1A #3 http://www.wz.gov.cn/zwgk_266/fdzdgknr/ysjs/bm_156222/zqswzqrmzfbgs/202502/t20250212_14296574.html",
                                       "§1A #4 http://www.wz.gov.cn/bmjz_89642/jz/gcz_95761/zwgk_95765/fdzdgknr_95767/ysjs_154867/202602/t20260212_15435653.html",
                                       "§1A #5 http://www.wz.gov.cn/bmjz_89642/bm/jtj/zwgk_94768/fdzdgknr_94770/ysjs_94777/202403/t20240312_13027701.html",
                                       "§1A #6 http://www.wz.gov.cn/bmjz_89642/bm/wsjkwyh/zwgk_94848/fdzdgknr_94850/ysjs_94857/202502/t20250212_14299343.html"]),
    ("qianjiang", "黔江区", "qianjiang.gov.cn", []),  # §1G: only a 政府工作报告 was seen
    ("fl", "涪陵区", "www.fl.gov.cn", ["§1A #38 http://www.fl.gov.cn/zfxxgk_206/dwjqtbm/jsgk/202510/t20251024_15109634.html"]),
    ("cqyz", "渝中区", "www.cqyz.gov.cn", ["§1A #1 https://www.cqyz.gov.cn/zwgk_229/fdzdgknr/czyjs/ys_yzq/bmys_yzq/qzfbgs_ys/202502/t20250212_14297071.html",
                                           "§1A #2 https://www.cqyz.gov.cn/jz_229/llkjdbsc/zwgk_97157/fdzdgknr_97159/ysjs1/js/202510/t20251017_15089703.html",
                                           "§5.1 http://www.cqyz.gov.cn/bm_229/zqjfbzyswqglwyh/zwgk_97157/fdzdgknr_97159/ysjs1/js/202410/t20241018_13717630.html"]),
    ("ddk", "大渡口区", "www.ddk.gov.cn", ["§1A #36 http://www.ddk.gov.cn/bm/qmzj/zwgk_56719/fdzdgknr_56721/ysjs_56727/mzjys11/202503/t20250319_14422014.html",
                                           "§5.1 http://www.ddk.gov.cn/bm/qczj/zwgk_56734/fdzdgknr_56736/qjysjs/qjbmys/2026/202602/t20260213_15441164.html"]),
    ("cqjb", "江北区", "", []),
    ("cqspb", "沙坪坝区", "www.cqspb.gov.cn", ["§1B #48 https://www.cqspb.gov.cn/zwgk_235/xxgk_19662/fdzdgknr/ysjs/js/qj/202510/t20251011_15070506.html",
                                               "§1B #49 http://www.cqspb.gov.cn/zwgk_235/xxgk_19662/fdzdgknr/ysjs/ys/qj/202601/t20260123_15348760.html",
                                               "§5.1 http://www.cqspb.gov.cn/bm/qwsjkw_64098/zwgk_64102/fdzdgknr_64104/ysjs_64114/ys/202602/t20260206_15389599.html"]),
    ("cqna", "南岸区", "cqna.gov.cn", []),  # §1G: only a 政府工作报告 was seen
    ("beibei", "北碚区", "www.beibei.gov.cn", ["§1B #47 https://www.beibei.gov.cn/bm/qczj/zwgk_58246/fdzdgknr_58248/ysjs/jsbm/qjjsgkczj/202510/t20251017_15090066.html"]),
    ("cqqj", "綦江区", "cqqj.gov.cn", ["§1A #34 http://cqqj.gov.cn/zwgk_159/fdzdgknr/czyjs/ys/jy/202503/t20250305_14373959.html",
                                       "§1A #35 http://cqqj.gov.cn/zwgk_159/fdzdgknr/czyjs/js/jtj/202410/t20241022_13728183.html"]),
    ("dazu", "大足区", "www.dazu.gov.cn", ["§1A #42 http://www.dazu.gov.cn/qzfbm/qnyncw/zwgk_53321/fdzdgknr_53323/ysjs/ys/202503/t20250306_14379162.html",
                                           "§5.1 http://www.dazu.gov.cn/zwgk_175/fdzdgknr/czyjs/qzfzcbm/qzfbgs/ys/202603/t20260312_15526401.html"]),
    ("ybq", "渝北区", "", []),
    ("cqbn", "巴南区", "www.cqbn.gov.cn", ["§1B #51 http://www.cqbn.gov.cn/zwgk_252/fdzdgknr/czyjs/qzfbm/qzf/zfbgs/202509/t20250916_15012522.html"]),
    ("cqcs", "长寿区", "www.cqcs.gov.cn", ["§1A #29 https://cqcs.gov.cn/bm/qwsjkw_75264/zwgk_73772/fdzdgknr_73775/czyjs_bm/bmys_bm/202501/t20250123_14204750.html",
                                           "§1A #30 https://www.cqcs.gov.cn/zwgk_164/fdzdgknr/czyjs/qtbmys/202601/t20260123_15347712.html",
                                           "§5.1 http://cqcs.gov.cn/jz/zshz_75973/zwgk_75373/fdzdgknr_75377/czyjs_jz/jzys_jz/202601/t20260123_15347023.html",
                                           "§5.1 http://cqcs.gov.cn/bm/qsfj_75253/zwgk_73772/fdzdgknr_73775/czyjs_bm/bmjs_bm/202310/t20231013_12426808.html"]),
    ("hc", "合川区", "", []),
    ("cqyc", "永川区", "www.cqyc.gov.cn", ["§1B #54 https://www.cqyc.gov.cn/zwgk_204/zfxxgk/zfxxgkml/czyjs/zfjsbg_1/qj_160911/202508/t20250804_14871755.html"]),
    ("cqnc", "南川区", "www.cqnc.gov.cn", ["§1A #37 http://www.cqnc.gov.cn/zwgk_197/fdzdgknr/czyjs/ys/qjys_417922/202602/t20260211_15431023.html"]),
    ("bishan", "璧山区", "www.bishan.gov.cn", ["§1A #21 http://www.bishan.gov.cn/bmjz/zj_97268/zxz_97276/zwgk_92018/fdzdgknr_92020/ysjs/js/202507/t20250730_14858759.html",
                                               "§1A #24 http://www.bishan.gov.cn/bmjz/bm_97237/qsfj_97245/zwgk_92018/fdzdgknr_92020/ysjs_92026/ys/202502/t20250212_14295625.html",
                                               "§1B #52 http://www.bishan.gov.cn/zwgk_241/fdzdgknr/ysjs/qzfbmyjsqk/bsqjsbg/202509/t20250923_15033862.html"]),
    ("cqstl", "铜梁区", "www.cqstl.gov.cn", ["§1A #7 https://cqstl.gov.cn/bm/qczj_71105/zwgk_70831/fdzdgknr_70834/qtgknr/jczwgk_1/czyjslyxxgk/zfys_271155/qczj/202502/t20250219_14319072.html",
                                             "§1A #8 https://www.cqstl.gov.cn/jz/ptz_70784/zwgk_70755/fdzdgknr_70758/ysjs3334/ysgk/202503/t20250306_14378418.html",
                                             "§1A #10 https://www.cqstl.gov.cn/jz/ssz_70785/zwgk_70755/fdzdgknr_70758/ysjs3334/jsgk/202510/t20251029_15123955.html"]),
    ("cqkz", "开州区", "www.cqkz.gov.cn", ["§1A #44 http://www.cqkz.gov.cn/zwgk_238/fdzdgknr/czyjs/xzjdysgk/202603/t20260312_15524920.html",
                                           "§1B #45 http://www.cqkz.gov.cn/zwgk_238/fdzdgknr/czyjs/zfysgk/202502/t20250224_14332971.html"]),
    ("cqlp", "梁平区", "www.cqlp.gov.cn", ["§1A #43 http://www.cqlp.gov.cn/as/zwgk_29463/fdzdgknr_29465/czyjs_57396/jsgk/202510/t20251021_15099835.html"]),
    ("cqwl", "武隆区", "cqwl.gov.cn", ["§1A #18 https://cqwl.gov.cn/bmjz_sites/bm/jw/zwgk_98942/fdzdgknr_98944/ysjs_98950/ysgk/202503/t20250304_14368258.html",
                                       "§1A #19 https://cqwl.gov.cn/bmjz_sites/bm/xgw/zwgk_98942/fdzdgknr_98944/ysjs_98950/jsgk/202008/t20200828_7821523.html",
                                       "§5.1 http://cqwl.gov.cn/bmjz_sites/jz/ddhx_98936/zwgk_98958/fdzdgknr_98960/ysjs/ys/202602/t20260204_15380506.html"]),
    ("cqck", "城口县", "cqck.gov.cn", ["§1B #56 http://cqck.gov.cn/zwgk_270/fdzdgknr/ysjs/ysgk/zfys/202501/t20250120_14183789.html"]),
    ("cqfd", "丰都县", "", []),
    ("cqsdj", "垫江县", "www.cqsdj.gov.cn", ["§5.1 http://www.cqsdj.gov.cn/bmjz/bm/wsjkwyh/zwgk_72304/fdzdgknr_72306/ysjs_72313/ysgk/202602/t20260210_15407042.html"]),
    ("zhongxian", "忠县", "", []),
    ("yunyang", "云阳县", "", []),
    ("cqfj", "奉节县", "www.cqfj.gov.cn", ["§1A #39 https://cqfj.gov.cn/bm_168/jywyh/zwgk_61483/fdzdgknr_61485/ysjs_61492/ys/202503/t20250313_14402742.html",
                                           "§5.1 http://www.cqfj.gov.cn/xz_168/fhz/zwgk_61002/fdzdgknr_61004/ysjsjz/ysgk/202602/t20260204_15379137.html"]),
    ("cqws", "巫山县", "", []),
    ("cqwx", "巫溪县", "", []),
    ("cqszx", "石柱土家族自治县", "", []),
    ("cqxs", "秀山土家族苗族自治县", "", []),
    ("youyang", "酉阳土家族苗族自治县", "", []),
    ("psx", "彭水苗族土家族自治县", "www.psx.gov.cn", ["§1A #40 http://www.psx.gov.cn/zfbm_174/fzhggwyh_82654/zwgk_72016/fdzdgknr/ysjs/ys/202603/t20260309_15511944.html",
                                                      "§1B #59 http://psx.gov.cn/zwgk_174/fdzdgknr/czyjs/xjys/202502/t20250219_14320190.html"]),
]

# name, district, host, documented pages, the 政府信息公开 entry of §5.3 (the root)
SHANGHAI = [
    ("shpd", "浦东新区", "www.pudong.gov.cn", ["§1E #84 https://www.pudong.gov.cn/zwgk/14517.gkml_ywl_czsj/2025/21/336342.html"],
     "https://www.pudong.gov.cn/xxgk_gkzn/index.html"),
    ("shhp", "黄浦区", "www.shhuangpu.gov.cn", [], "https://www.shhuangpu.gov.cn/zw/govopen/goverGuide.html"),
    ("shja", "静安区", "www.jingan.gov.cn", [], "https://www.jingan.gov.cn/dynamic/infoOpenFile.html"),
    ("shxh", "徐汇区", "www.xuhui.gov.cn", [], "https://www.xuhui.gov.cn/zfxxgk/wj/index.html"),
    ("shcn", "长宁区", "zwgk.shcn.gov.cn", ["§1E #85 https://zwgk.shcn.gov.cn/xxgk/qzfyjs-czyjs/2025/248/78394.html"],
     "https://zwgk.shcn.gov.cn/xxgk/zcwj-zfxxgk/index.html"),
    ("shhk", "虹口区", "www.shhk.gov.cn", [], "https://www.shhk.gov.cn/hkxxgk/zdgknr/policydoc.html"),
    ("shyp", "杨浦区", "www.shyp.gov.cn", [], "https://www.shyp.gov.cn/shypq/xxgkzn/"),
    ("shbs", "宝山区", "xxgk.shbsq.gov.cn", [], "http://xxgk.shbsq.gov.cn/zfxxgk/pubguide.html"),
    ("shmh", "闵行区", "zwgk.shmh.gov.cn", [],
     "https://zwgk.shmh.gov.cn/mh-xxgk-cms/website/mh_xxgk/zfxxgk_index/List/index.htm?tab=divzcwj"),
    ("shjd", "嘉定区", "www.jiading.gov.cn", [], "http://www.jiading.gov.cn/publicity/zfxxgk/zfxxgkzn2"),
    ("shjs", "金山区", "www.jinshan.gov.cn", [], "https://www.jinshan.gov.cn/zhengwu/zwgk-zfxxgkzn/index.html"),
    ("shsj", "松江区", "www.songjiang.gov.cn", [], "https://www.songjiang.gov.cn/Template/dynamic/zfxxgk/zfxxgk.html"),
    ("shqp", "青浦区", "www.shqp.gov.cn", [], "https://www.shqp.gov.cn/shqp/zwgk/zwgkzt/zf/index.html"),
    ("shfx", "奉贤区", "", [], ""),  # §5.3: not found
    ("shcm", "崇明区", "", [], ""),  # §5.3: not found
]

_DETAIL = re.compile(r"/(20\d{4}/t\d+_\d+|20\d\d/\d+/\d+)\.html$")


def column_of(url: str) -> str:
    """The list page of the column a documented disclosure page sits in."""
    return _DETAIL.sub("/index.html", url)


def registrable(host: str) -> str:
    """'www.cqstl.gov.cn' → 'cqstl.gov.cn', 'zwgk.shcn.gov.cn' → 'shcn.gov.cn'."""
    parts = host.split(".")
    return ".".join(parts[-3:]) if host.endswith(".gov.cn") else host


class ShanghaiDistrictSite(AnyPlatformSite):
    """A Shanghai district site: at least 10 detail URL schemes (REAL-SITES §5.3), so the rules of
    every family; columns are discovered from the 政府信息公开 entry."""

    name = ""  # a base, not a config


def _make(name, district, host, pages, root, base, source):
    examples = tuple(p.split(" ", 2)[-1] for p in pages)
    domain = registrable(host) if host else ""
    bare = domain if host != domain else f"www.{domain}"
    attrs = {
        "name": name, "district": district, "allowed_domains": (domain,) if domain else (),
        "host_aliases": {bare: host} if host else {},
        "roots": (root,) if root else (), "start_urls": tuple(dict.fromkeys(column_of(u) for u in examples)),
        "examples": examples, "usable": bool(host and root),
        "source": (f"{DOC}: " + ("; ".join(p.rsplit(" ", 1)[0] for p in pages) + " (documented pages); " if pages else "")
                   + ("host " + host + (", root " + root if root else "") if host else
                      "no page or host in REAL-SITES: fill in the host, then check it live")),
        "verified": "", "__module__": __name__,
        "__doc__": f"{'重庆市' if base is ChongqingDistrictSite else '上海市'}{district}",
    }
    return type(f"District_{name}", (base,), attrs)


GENERATED = {}
for _name, _district, _host, _pages in CHONGQING:
    if _name not in OWN_MODULES:
        GENERATED[_name] = _make(_name, f"重庆市{_district}", _host, _pages,
                                 f"http://{_host}/" if _host else "", ChongqingDistrictSite, DOC)
for _name, _district, _host, _pages, _root in SHANGHAI:
    GENERATED[_name] = _make(_name, f"上海市{_district}", _host, _pages, _root, ShanghaiDistrictSite, DOC)
globals().update({cls.__name__: cls for cls in GENERATED.values()})

ALL_DISTRICTS = [n for n, *_ in CHONGQING] + ["cqjlp", "jiangjin", "cqtn", "rongchang", "shpt"] + \
    [n for n, *_ in SHANGHAI]
