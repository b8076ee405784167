"""/-/raw/<id>: the archived bytes of a document, served only if they are still exactly the bytes
the id names."""
from __future__ import annotations

import hashlib
import urllib.parse
from pathlib import Path

from datasette.utils.asgi import Response

from . import DATABASE


def archived_file(db, doc):
    """The archived bytes of a document, only if the file at raw_path still holds exactly them
    (the id is the SHA-256 of the bytes): a path is taken as given, then beside the database."""
    raw = doc.get("raw_path")
    if not raw:
        return None
    candidates = [Path(raw)]
    if not Path(raw).is_absolute() and db.path:
        candidates.append(Path(db.path).parent / raw)
    for path in candidates:
        try:
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == doc["id"]:
                return path
        except OSError:
            continue
    return None


RAW_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "textdump": "text/plain; charset=utf-8",
             "xls": "application/vnd.ms-excel", "doc": "application/msword", "zip": "application/zip",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


async def raw_page(datasette, request):
    """/-/raw/<id>: the archived file as it was fetched, read-only. Archived HTML is sandboxed
    (no scripts, no cookies of this site) so a published page cannot act on the site."""
    db = datasette.get_database(DATABASE)
    found = (await db.execute("select * from documents where id = ?", [request.url_vars["id"]])).first()
    path = archived_file(db, dict(found)) if found else None
    if not path:
        return Response.text("没有存档副本 · no archived copy of this document", status=404)
    doc = dict(found)
    name = urllib.parse.quote(path.name if path.name != doc["id"] else f"{doc['id']}.{doc['format']}")
    return Response(path.read_bytes(), status=200, content_type=RAW_TYPES.get(doc["format"], "application/octet-stream"),
                    headers={"Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff",
                             "Content-Disposition": f"inline; filename*=UTF-8''{name}",
                             "Cache-Control": "public, max-age=86400"})
