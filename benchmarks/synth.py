"""Budget lines shaped like real ones, in any number: the seed disclosure's lines (their table kinds,
subject codes and names, measures, amounts and text) repeated over many districts, departments and
years, each department's amounts scaled by its own size and every amount jittered.

The seed is loaded through the real pipeline (the text dump in quick and full runs, its HTML
rendering in smoke runs, which reads the same tables in a tenth of a second)."""
from __future__ import annotations

import hashlib
import json
import math
import random
import sqlite3
import tempfile
from pathlib import Path

from benchmarks.common import SEED, SEED_HTML
from extractors.constants import Stage
from extractors.units import FEN_PER_WAN

# Real district and department names, to give names the length and spread real ones have.
DISTRICTS = [
    "重庆市潼南区", "重庆市九龙坡区", "重庆市江津区", "重庆市荣昌区", "上海市普陀区", "重庆市渝中区",
    "重庆市江北区", "重庆市沙坪坝区", "重庆市南岸区", "重庆市北碚区", "重庆市渝北区", "重庆市巴南区",
    "重庆市长寿区", "重庆市合川区", "重庆市永川区", "重庆市南川区", "重庆市綦江区", "重庆市大足区",
    "重庆市璧山区", "重庆市铜梁区", "上海市黄浦区", "上海市徐汇区", "上海市长宁区", "上海市静安区",
    "上海市虹口区", "上海市杨浦区", "上海市闵行区", "上海市宝山区", "上海市嘉定区", "上海市浦东新区",
    "上海市金山区", "上海市松江区", "上海市青浦区", "上海市奉贤区", "上海市崇明区", "江苏省南京市玄武区",
    "江苏省南京市秦淮区", "江苏省南京市建邺区", "江苏省南京市鼓楼区", "江苏省南京市浦口区",
    "江苏省南京市栖霞区", "江苏省南京市雨花台区", "江苏省南京市江宁区", "江苏省南京市六合区",
]
DEPARTMENTS = [
    "大数据应用发展管理局", "教育委员会", "卫生健康委员会", "财政局", "发展和改革委员会", "司法局",
    "公安局", "民政局", "人力资源和社会保障局", "规划和自然资源局", "生态环境局", "住房和城乡建设委员会",
    "城市管理局", "交通局", "水利局", "农业农村委员会", "商务委员会", "文化和旅游发展委员会",
    "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "体育局", "统计局", "医疗保障局",
    "林业局", "机关事务管理局", "信访办公室", "人民政府办公室", "科学技术局", "经济和信息化委员会",
    "国有资产监督管理委员会", "档案馆", "融媒体中心", "红十字会", "妇女联合会", "共青团委员会",
    "总工会", "残疾人联合会", "工商业联合会", "科学技术协会", "社会福利院", "疾病预防控制中心",
    "人民医院", "中医院", "妇幼保健院", "第一中学", "实验小学", "职业教育中心", "图书馆", "文化馆",
    "博物馆", "公共资源交易中心", "政务服务管理办公室", "不动产登记中心", "住房公积金管理中心",
    "供销合作社", "粮食和物资储备局", "气象局", "地震局", "税务局", "消防救援支队", "人民法院",
    "人民检察院", "中共区委办公室", "区委组织部", "区委宣传部", "区委统战部", "区委政法委员会",
    "区纪委监委", "区人大常委会办公室", "区政协办公室", "万里街道办事处", "长风新村街道办事处",
    "真如镇街道办事处", "宜川路街道办事处", "甘泉路街道办事处", "石泉路街道办事处", "曹杨新村街道办事处",
    "长征镇人民政府",
]
YEARS = list(range(2015, 2027))

INSERT_COLUMNS = None  # filled from budgets.db.LINE_COLUMNS on first use


def line_columns() -> list[str]:
    from budgets.db import LINE_COLUMNS

    return list(LINE_COLUMNS)


def seed_lines(cache: Path, fast: bool = False) -> list[dict]:
    """The seed disclosure's budget lines, as our pipeline loads them (cached by the bytes of the
    seed and of the code that reads it)."""
    path = SEED_HTML if fast else SEED
    key = hashlib.sha256(path.read_bytes() + _code_fingerprint()).hexdigest()[:16]
    cached = cache / f"seed-lines-{path.suffix[1:]}-{key}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    from budgets import db as database
    from budgets.pipeline import Source, ingest_bytes

    with tempfile.TemporaryDirectory() as tmp:
        db = database.connect(Path(tmp) / "seed.db")
        ingest_bytes(db, path.read_bytes(), Source(filename=path.name))
        db.conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.conn.execute("SELECT * FROM budget_lines ORDER BY table_index, row_index, id")]
        db.conn.close()
    if not rows:
        raise RuntimeError(f"the seed {path} gave no budget lines")
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(rows, ensure_ascii=False))
    return rows


def _code_fingerprint() -> bytes:
    root = Path(__file__).resolve().parents[1]
    parts = []
    names = ["extractors/textdump.py", "extractors/layout.py", "extractors/normalise.py", "extractors/html.py",
             *sorted(str(p.relative_to(root)) for p in (root / "extractors" / "vocabulary").glob("*.py")),
             "budgets/db.py"]
    for name in names:
        p = root / name
        parts.append(p.read_bytes() if p.exists() else b"")
    return b"".join(parts)


def shape(n_lines: int, per_document: int) -> tuple[list[str], list[str], list[int]]:
    """Districts, departments and years for about n_lines: always 12 years and up to 80
    departments per district, and as many districts as it takes, so that a query about one
    district and year returns as many rows at 10M lines as at 1M."""
    documents = max(1, math.ceil(n_lines / per_document))
    per_district = len(YEARS) * min(len(DEPARTMENTS), documents)
    n_districts = max(1, math.ceil(documents / per_district))
    districts = [DISTRICTS[i % len(DISTRICTS)] + ("" if i < len(DISTRICTS) else f"{i // len(DISTRICTS)}")
                 for i in range(n_districts)]
    n_depts = min(len(DEPARTMENTS), math.ceil(documents / (len(YEARS) * n_districts)))
    return districts, DEPARTMENTS[:n_depts], YEARS


def plan(seed: list[dict], n_lines: int, rng_seed: int = 20260129) -> list[dict]:
    """The documents to make: district, department, year, id, and the department's size."""
    rng = random.Random(rng_seed)
    districts, departments, years = shape(n_lines, len(seed))
    fiscal0 = seed[0]["fiscal_year"] or 2026
    out, made = [], 0
    for district in districts:
        for department in departments:
            size = math.exp(rng.gauss(0, 1.0))  # departments differ by orders of magnitude
            for fiscal_year in years:
                if made >= n_lines:
                    return out
                doc_id = hashlib.sha256(f"{district}|{department}|{fiscal_year}".encode()).hexdigest()
                count = min(len(seed), n_lines - made)
                out.append({"id": doc_id, "district": district, "department": department,
                            "fiscal_year": fiscal_year, "lines": count,
                            "scale": size * (1.04 ** (fiscal_year - fiscal0)) * math.exp(rng.gauss(0, 0.1))})
                made += count
    return out


def document_row(doc: dict) -> dict:
    return {"id": doc["id"], "url": f"https://example.gov.cn/{doc['id'][:12]}.pdf", "site": "bench",
            "district": doc["district"], "department": doc["department"],
            "title": f"{doc['district']}{doc['department']}{doc['fiscal_year']}年部门预算",
            "fiscal_year": doc["fiscal_year"], "stage": Stage.BUDGET, "format": "pdf", "bytes": 200_000,
            "fetched_at": f"{doc['fiscal_year']}-02-01T00:00:00+00:00", "status": "ok"}


def documents(seed: list[dict], n_lines: int, rng_seed: int = 20260129):
    """Yield (document dict, list of line dicts) until n_lines lines are made."""
    rng = random.Random(rng_seed + 1)
    fiscal0 = seed[0]["fiscal_year"] or 2026
    for doc in plan(seed, n_lines, rng_seed):
        document = document_row(doc)
        lines = []
        for i, src in enumerate(seed[: doc["lines"]]):
            line = dict(src)
            fen = int((src["amount_fen"] or 0) * doc["scale"] * math.exp(rng.gauss(0, 0.2)))
            line.update(
                id=f"{doc['id'][:16]}:{src['table_index']}:{src['row_index']}:{src.get('column_index') or 0}:{i}",
                document_id=doc["id"], district=doc["district"], department=doc["department"],
                department_raw=doc["department"], fiscal_year=doc["fiscal_year"],
                year=(src["year"] or fiscal0) - fiscal0 + doc["fiscal_year"],
                amount_fen=fen, amount_wan=fen / FEN_PER_WAN, url=document["url"],
            )
            lines.append(line)
        yield document, lines


def line_tuples(seed: list[dict], n_lines: int, columns: list[str], doc_columns: list[str], rng_seed: int = 20260129):
    """The same kind of lines as `documents`, as tuples in `columns` order, documents in id order
    (so the primary key grows at its end): yields (document tuple, [line tuples]). Several times
    faster than building dicts, for the 10M-line databases."""
    rng = random.Random(rng_seed + 1)
    fiscal0 = seed[0]["fiscal_year"] or 2026
    at = {c: i for i, c in enumerate(columns)}
    templates = [[src.get(c) for c in columns] for src in seed]
    suffixes = [f":{src['table_index']}:{src['row_index']}:{src.get('column_index') or 0}:{i}" for i, src in enumerate(seed)]
    fens = [src["amount_fen"] or 0 for src in seed]
    years = [(src["year"] or fiscal0) - fiscal0 for src in seed]
    i_id, i_doc, i_district, i_dept, i_raw = at["id"], at["document_id"], at["district"], at["department"], at["department_raw"]
    i_fy, i_year, i_fen, i_wan, i_url = at["fiscal_year"], at["year"], at["amount_fen"], at["amount_wan"], at["url"]
    gauss, exp = rng.gauss, math.exp
    for doc in sorted(plan(seed, n_lines, rng_seed), key=lambda d: d["id"]):
        document = document_row(doc)
        prefix, scale, fy = doc["id"][:16], doc["scale"], doc["fiscal_year"]
        out = []
        for k in range(doc["lines"]):
            row = templates[k][:]
            fen = int(fens[k] * scale * exp(gauss(0, 0.2)))
            row[i_id] = prefix + suffixes[k]
            row[i_doc] = doc["id"]
            row[i_district] = doc["district"]
            row[i_dept] = row[i_raw] = doc["department"]
            row[i_fy] = fy
            row[i_year] = years[k] + fy
            row[i_fen] = fen
            row[i_wan] = fen / FEN_PER_WAN
            row[i_url] = document["url"]
            out.append(tuple(row))
        yield tuple(document.get(c) for c in doc_columns), out
