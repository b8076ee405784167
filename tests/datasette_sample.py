"""A small published database for the Datasette tests, loaded through budgets.db.load_document.

The 潼南区大数据应用发展管理局 2026 rows are the seed disclosure's own figures (附件2 一般公共预算
财政拨款支出预算表, 附件4 三公经费, narrative sentences), including the publisher's mistakes that
the audit reports. The other departments use real subject codes and names with plausible amounts,
so that comparisons across departments, districts and years have something to compare.
"""
from __future__ import annotations

import hashlib
from decimal import Decimal

from budgets import db as database

TONGNAN = "重庆市潼南区"
TONGLIANG = "重庆市铜梁区"
BIGDATA = "大数据应用发展管理局"

# (code, name, prior-year 预算数, total, basic, project) — 附件2 of the seed, 万元
SEED_GENERAL_BUDGET = [
    ("", "合计", "786.48", "1207.84", "404.68", "803.16"),
    ("208", "社会保障和就业支出", "33.7", "52.84", "52.84", ""),
    ("20805", "行政事业单位养老支出", "33.7", "52.84", "52.84", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "20.7", "31.68", "31.68", ""),
    ("2080506", "机关事业单位职业年金缴费支出", "10.34", "15.84", "15.84", ""),
    ("2080599", "其他行政事业单位养老支出", "2.66", "5.32", "5.32", ""),
    ("210", "卫生健康支出", "16.74", "20.70", "20.70", ""),
    ("21011", "行政事业单位医疗", "16.74", "20.70", "20.70", ""),
    ("2101101", "行政单位医疗", "12.29", "13.63", "13.63", ""),
    ("2101102", "事业单位医疗", "2.49", "4.11", "4.11", ""),
    ("2101103", "公务员医疗补助", "1.28", "1.60", "1.60", ""),
    ("2101199", "其他行政事业单位医疗支出", "0.68", "1.36", "1.36", ""),
    ("215", "资源勘探工业信息等支出", "718.3", "1110.31", "307.15", "803.16"),
    ("21505", "工业和信息产业", "718.3", "1110.31", "307.15", "803.16"),
    ("2150501", "行政运行", "166.61", "211.13", "211.13", ""),
    ("2150503", "机关服务", "48.19", "96.02", "96.02", ""),
    ("2150599", "其他工业和信息产业支出", "500", "803.16", "", "803.16"),
    ("221", "住房保障支出", "17.74", "23.99", "23.99", ""),
    ("22102", "住房改革支出", "17.74", "23.99", "23.99", ""),
    ("2210201", "住房公积金", "17.74", "23.99", "23.99", ""),
]

# Other departments: (district, department, fiscal_year, rows of (code, name, prior, total, basic, project))
OTHER_BUDGETS = [
    (TONGNAN, "财政局", 2026, [
        ("", "合计", "1650.20", "1702.45", "1302.45", "400.00"),
        ("201", "一般公共服务支出", "1480.10", "1532.05", "1132.05", "400.00"),
        ("20106", "财政事务", "1480.10", "1532.05", "1132.05", "400.00"),
        ("2010601", "行政运行", "1080.10", "1132.05", "1132.05", ""),
        ("2010699", "其他财政事务支出", "400.00", "400.00", "", "400.00"),
        ("208", "社会保障和就业支出", "110.30", "112.60", "112.60", ""),
        ("20805", "行政事业单位养老支出", "110.30", "112.60", "112.60", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "73.50", "75.06", "75.06", ""),
        ("2080506", "机关事业单位职业年金缴费支出", "36.80", "37.54", "37.54", ""),
        ("221", "住房保障支出", "59.80", "57.80", "57.80", ""),
        ("22102", "住房改革支出", "59.80", "57.80", "57.80", ""),
        ("2210201", "住房公积金", "59.80", "57.80", "57.80", ""),
    ]),
    (TONGLIANG, "财政局", 2026, [
        ("", "合计", "2110.00", "2215.37", "1615.37", "600.00"),
        ("201", "一般公共服务支出", "1930.00", "2020.17", "1420.17", "600.00"),
        ("20106", "财政事务", "1930.00", "2020.17", "1420.17", "600.00"),
        ("2010601", "行政运行", "1330.00", "1420.17", "1420.17", ""),
        ("2010699", "其他财政事务支出", "600.00", "600.00", "", "600.00"),
        ("208", "社会保障和就业支出", "120.00", "127.40", "127.40", ""),
        ("20805", "行政事业单位养老支出", "120.00", "127.40", "127.40", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "80.00", "84.93", "84.93", ""),
        ("2080506", "机关事业单位职业年金缴费支出", "40.00", "42.47", "42.47", ""),
        ("221", "住房保障支出", "60.00", "67.80", "67.80", ""),
        ("22102", "住房改革支出", "60.00", "67.80", "67.80", ""),
        ("2210201", "住房公积金", "60.00", "67.80", "67.80", ""),
    ]),
    (TONGLIANG, "教育委员会", 2025, [
        ("", "合计", "52010.00", "54321.09", "40321.09", "14000.00"),
        ("205", "教育支出", "50110.00", "52321.09", "38321.09", "14000.00"),
        ("20502", "普通教育", "50110.00", "52321.09", "38321.09", "14000.00"),
        ("2050202", "小学教育", "30110.00", "31021.09", "25021.09", "6000.00"),
        ("2050203", "初中教育", "20000.00", "21300.00", "13300.00", "8000.00"),
        ("208", "社会保障和就业支出", "1900.00", "2000.00", "2000.00", ""),
        ("20805", "行政事业单位养老支出", "1900.00", "2000.00", "2000.00", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "1900.00", "2000.00", "2000.00", ""),
    ]),
]

# 附件4 of the seed: (measure, 2025, 2026)
SEED_THREE_PUBLIC = [
    ("total", "5.5", "5"), ("overseas_travel", "0", "0"), ("vehicles", "3.5", "2.5"),
    ("vehicle_purchase", "0", "0"), ("vehicle_operation", "3.5", "2.5"), ("reception", "2", "2.5"),
]
OTHER_THREE_PUBLIC = {
    (TONGNAN, "财政局", 2026): [("total", "12.4", "11.2"), ("vehicles", "8.0", "7.2"), ("reception", "4.4", "4.0")],
    (TONGLIANG, "财政局", 2026): [("total", "9.0", "9.6"), ("vehicles", "6.0", "6.6"), ("reception", "3.0", "3.0")],
}

SEED_SENTENCES = [
    "重庆市潼南区大数据应用发展管理局是在2019年机构改革时成立的正处级政府工作部门。",
    "(一)收入预算:2026年年初预算数1207.84万元,其中:一般公共预算拨款1207.84万元。",
    "2026年“三公”经费预算5万元,比2025年减少0.5万元。",
    "项目支出803.16万元,比2025年增加338.16万元,主要原因是增加了电子政务网络改造升级专项。",
    "1.机关运行经费。2026年一般公共预算财政拨款运行经费70.59万元,比上年增加11.23万元。",
]

SEED_PROJECTS = [("电子政务网络改造升级", "345"), ("数字化发展项目", "400"), ("推进数字重庆建设项目", "58.16")]

SEED_URL = "https://www.cqtn.gov.cn/zwgk_207/fdzdgknr/ysjs/bmys/202602/t20260212_sample.html"


def fen(wan: str) -> int:
    return int(Decimal(wan) * 1_000_000)


def level_of(code: str) -> int | None:
    return {3: 1, 5: 2, 7: 3}.get(len(code))


def document(district, department, fiscal_year, stage="budget", url="", number=0) -> dict:
    doc_id = hashlib.sha256(f"{district}{department}{fiscal_year}{stage}{number}".encode()).hexdigest()
    stage_word = "预算" if stage == "budget" else "决算"
    site = "tongnan" if district == TONGNAN else "tongliang"
    return {
        "id": doc_id, "url": url or f"https://www.{site}.example.gov.cn/{fiscal_year}/{department}{'-' + str(number) if number else ''}.pdf",
        "site": site, "district": district,
        "department": department, "title": f"{district}{department}{fiscal_year}年部门{stage_word}公开",
        "fiscal_year": fiscal_year, "stage": stage, "format": "html" if url else "pdf", "bytes": 27661,
        "fetched_at": f"{fiscal_year}-02-12T09:00:00+00:00", "status": "ok", "error": None,
        "raw_path": "", "pages": 12, "tables": 12,
    }


def general_budget_lines(doc: dict, rows) -> list[dict]:
    lines = []
    year = doc["fiscal_year"]
    for row_index, (code, name, prior, total, basic, project) in enumerate(rows):
        for column_index, (measure, amount_year, wan) in enumerate(
            [("total", year - 1, prior), ("total", year, total), ("basic", year, basic), ("project", year, project)]
        ):
            if not wan:
                continue
            lines.append(_line(doc, "general_budget_expenditure", "附件2 一般公共预算财政拨款支出预算表", 1,
                               row_index, column_index, code, name, measure, amount_year, wan))
    return lines


def three_public_lines(doc: dict, rows) -> list[dict]:
    lines = []
    year = doc["fiscal_year"]
    for column_index, (measure, prior, current) in enumerate(rows):
        for offset, (amount_year, wan) in enumerate([(year - 1, prior), (year, current)]):
            lines.append(_line(doc, "three_public_expenses", "附件4 一般公共预算支出“三公”经费预算表", 3,
                               0, column_index * 2 + offset, "", "", measure, amount_year, wan, item="合计"))
    return lines


def project_lines(doc: dict) -> list[dict]:
    return [
        _line(doc, "project_expenditure", "附件10 项目支出明细表", 9, row_index, 4, "2150599",
              "其他工业和信息产业支出", "project", doc["fiscal_year"], wan, item=name)
        for row_index, (name, wan) in enumerate(SEED_PROJECTS, 1)
    ]


def _line(doc, table_kind, title, table_index, row_index, column_index, code, name, measure, year, wan, item=None):
    return {
        "id": f"{doc['id'][:16]}:{table_index}:{row_index}:{column_index}",
        "document_id": doc["id"], "district": doc["district"], "department": doc["department"],
        "department_raw": doc["district"] + doc["department"], "fiscal_year": doc["fiscal_year"],
        "stage": doc["stage"], "table_kind": table_kind, "table_title": title,
        "classification": "functional" if code else "none", "subject_code": code,
        "subject_name": name, "level": level_of(code), "parent_code": code[:-2] if len(code) > 3 else "",
        "item": item if item is not None else ("" if code else name), "measure": measure, "year": year,
        "basis": "budget", "amount_wan": float(Decimal(wan)), "amount_fen": fen(wan), "unit_printed": "万元",
        "page": table_index + 4, "table_index": table_index, "row_index": row_index,
        "column_index": column_index, "source_text": f"{code} {name or item} {wan}".strip(), "url": doc["url"],
    }


def build(path) -> "database.sqlite_utils.Database":
    """Load the sample disclosures into a new database at `path`, then prepare it for publishing."""
    from budgets.publish import prepare
    from budgets.reference import refresh

    db = database.connect(path)
    seed = document(TONGNAN, BIGDATA, 2026, url=SEED_URL)
    seed_lines = general_budget_lines(seed, SEED_GENERAL_BUDGET) + three_public_lines(seed, SEED_THREE_PUBLIC) \
        + project_lines(seed)
    paragraphs = [
        {"id": f"{seed['id'][:16]}:p{i}", "document_id": seed["id"], "page": 1, "position": i, "text": text}
        for i, text in enumerate(SEED_SENTENCES)
    ]
    database.load_document(db, seed, seed_lines, paragraphs)
    load_comparisons(db)
    load_findings(db, seed["id"])
    refresh(db)
    prepare(db)
    return db


def build_with_pipeline(path) -> str:
    """The seed disclosure through the real pipeline (`budgets ingest` of the text dump and its HTML
    rendering: two copies of one disclosure), plus the sample's other departments and years.
    Returns the id of the seed document the site counts."""
    import subprocess
    import sys
    from pathlib import Path

    from budgets.publish import prepare
    from budgets.reference import refresh

    root = Path(__file__).resolve().parents[1]
    # the project's own copy of the seed (no ../shared needed); the HTML rendering is a link out of
    # its folder, so it is named (ingest follows no link out of a folder it is given)
    fixtures = root / "tests" / "fixtures" / "seed"
    seeds = [fixtures, fixtures / "tongnan-2026-bigdata-bureau-budget.html"]
    subprocess.run([sys.executable, "-m", "budgets", "ingest", *map(str, seeds), "--db", str(path)],
                   cwd=root, check=True, capture_output=True, timeout=120)
    db = database.connect(path)
    load_comparisons(db)
    [seed_id] = [row[0] for row in db.execute(
        "select id from current_documents where department = ? and fiscal_year = 2026", [BIGDATA])]
    load_findings(db, seed_id)
    refresh(db)
    prepare(db)
    db.conn.close()
    return seed_id


def load_comparisons(db) -> None:
    """Other years and departments to compare the seed bureau with."""
    # The 2025 disclosure of the same bureau: its 2025 column is what the 2026 one printed as prior year.
    earlier = document(TONGNAN, BIGDATA, 2025, url=SEED_URL.replace("2026", "2025"))
    earlier_rows = [(c, n, _scale(p, "0.9"), p, p if c != "2150599" else "", "500" if c in ("215", "21505", "2150599") else "")
                    for c, n, p, *_ in SEED_GENERAL_BUDGET]
    database.load_document(db, earlier, general_budget_lines(earlier, earlier_rows)
                           + three_public_lines(earlier, [(m, _scale(p, "1.1"), p) for m, p, _ in SEED_THREE_PUBLIC]))

    for district, department, year, rows in OTHER_BUDGETS:
        doc = document(district, department, year)
        lines = general_budget_lines(doc, rows)
        lines += three_public_lines(doc, OTHER_THREE_PUBLIC.get((district, department, year), []))
        database.load_document(db, doc, lines)



def load_findings(db, seed_id: str) -> None:
    """Three findings about the seed disclosure, as the audit words them."""
    db["findings"].insert_all([
        {"id": "f1", "document_id": seed_id, "district": TONGNAN, "department": BIGDATA, "fiscal_year": 2026,
         "check": "cross_table", "severity": "error", "table_kind": "fiscal_appropriation_summary",
         "subject_code": "221", "measure": "total", "year": 2026, "expected_wan": 23.99, "actual_wan": 166.94,
         "difference_wan": 142.95, "message": "财政拨款收支总表的住房保障支出166.94万元与一般公共预算支出表的23.99万元不一致",
         "evidence": "附件1 第(二十)行 / 附件2 221行"},
        {"id": "f2", "document_id": seed_id, "district": TONGNAN, "department": BIGDATA, "fiscal_year": 2026,
         "check": "narrative", "severity": "error", "table_kind": "general_budget_expenditure",
         "subject_code": "", "measure": "basic", "year": 2026, "expected_wan": 90.59, "actual_wan": -90.59,
         "difference_wan": 181.18, "message": "说明称基本支出减少90.59万元,表中基本支出增加",
         "evidence": "二、(二)支出预算"},
        {"id": "f3", "document_id": seed_id, "district": TONGNAN, "department": BIGDATA, "fiscal_year": 2026,
         "check": "cross_table", "severity": "warning", "table_kind": "dept_expenditure",
         "subject_code": "", "measure": "total", "year": 2026, "expected_wan": 1207.84, "actual_wan": 1027.84,
         "difference_wan": 180.0, "message": "部门支出总表合计1027.84万元与收支总表1207.84万元不一致",
         "evidence": "附件8 合计行"},
    ])


def _scale(wan: str, factor: str) -> str:
    return str((Decimal(wan) * Decimal(factor)).quantize(Decimal("0.01")))


def ingested(db_path, *paths, timeout: float = 180):
    """`budgets ingest PATHS --db DB_PATH` in a process of its own, then its reference tables
    and published views prepared; returns `db_path`."""
    import subprocess
    import sys
    from pathlib import Path

    from budgets import db as database
    from budgets.publish import prepare
    from budgets.reference import refresh

    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "budgets", "ingest", *map(str, paths), "--db", str(db_path)],
                   cwd=root, check=True, capture_output=True, timeout=timeout)
    db = database.connect(db_path)
    refresh(db)
    prepare(db)
    db.conn.close()
    return db_path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`budgets serve` as a subprocess on a random loopback port: started, waited for, stopped.
    What it prints goes to `log` (beside the database unless given); `preexec_fn` runs in the
    child before it starts (e.g. an address-space cap); `start_s` is how long it may take to answer."""

    def __init__(self, db_path, *, log=None, preexec_fn=None, start_s: float = 30):
        from pathlib import Path

        self.db_path = db_path
        self.log = Path(log) if log else Path(db_path).with_name("serve.log")
        self.preexec_fn = preexec_fn
        self.start_s = start_s
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        import os
        import subprocess
        import sys
        import time
        import urllib.request
        from pathlib import Path

        root = Path(__file__).resolve().parents[1]
        env = dict(os.environ, PYTHONPATH=str(root))
        with self.log.open("wb") as written:  # a file, not a pipe nobody reads: a chatty server never blocks
            self.process = subprocess.Popen(
                [sys.executable, "-m", "budgets", "serve", "--db", str(self.db_path), "--port", str(self.port)],
                cwd=root, env=env, stdout=written, stderr=subprocess.STDOUT, preexec_fn=self.preexec_fn,
            )
        deadline = time.monotonic() + self.start_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"budgets serve exited: {self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/-/versions.json", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"budgets serve did not answer within {self.start_s:g} seconds")

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory so far (VmHWM; `budgets serve` is one process)."""
        from pathlib import Path

        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise AssertionError(f"no VmHWM for {self.process.pid}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except Exception:
                self.process.kill()
                self.process.wait()
