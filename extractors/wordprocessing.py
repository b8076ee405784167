"""DOCX, legacy DOC and WPS documents → tables and narrative.

DOCX is read with python-docx's element tree: body paragraphs in order are the narrative,
each table is a grid with horizontally merged cells (gridSpan) repeated across the columns
they cover and vertically merged ones (vMerge) repeated down the rows. The paragraphs just
before a table ('附件3', its title, '单位：万元') caption it. Legacy DOC and WPS files are
(and RTF saved as .doc) converted to DOCX by LibreOffice (`soffice --headless`), in a folder of
its own under the data folder, with a time limit, and never outliving the process that started it; without LibreOffice they are reported as unsupported, saying what to install.
"""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

from extractors import limits
from extractors.framing import caption_kind, caption_lines, frame, is_note
from extractors.model import Extraction, ExtractionError, Paragraph
from extractors.pdf_narrative import _title_from_filename

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE2 = b"\xd0\xcf\x11\xe0"
CONVERSION_TIMEOUT = 120  # seconds; LibreOffice starts in a few
MAX_SPAN = 200  # Word allows 63 columns; a larger gridSpan is damage or malice


def extract(data: bytes, filename: str = "") -> Extraction:
    if data.startswith(b"PK\x03\x04"):
        return extract_docx(data, filename)
    if data.startswith(OLE2) or is_rtf(data):
        if data.startswith(OLE2) and is_encrypted_office(data):
            raise ExtractionError(f"{filename or 'the document'} is password-protected; it cannot be read",
                                  status="unsupported")
        return extract_docx(convert_to_docx(data, filename), filename)
    raise ExtractionError(f"{filename or 'the file'} is neither a DOCX nor a DOC/WPS document")


def is_rtf(data: bytes) -> bool:
    """Rich Text saved under a .doc name, as WPS and older Word sometimes do."""
    return data[:16].lstrip().startswith(b"{\\rtf")


def is_encrypted_office(data: bytes) -> bool:
    """An Office file saved with a password: OOXML inside an OLE2 'EncryptedPackage' stream,
    or a legacy file whose directory names the RC4/CryptoAPI 'EncryptionInfo'."""
    head = data[:1 << 20]
    return "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head


def extract_docx(data: bytes, filename: str = "") -> Extraction:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    what = filename or "the document"
    limits.open_container(data, what)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError,
            AttributeError, IndexError, OSError, EOFError, SyntaxError,  # lxml: SyntaxError
            NotImplementedError) as exc:
        raise ExtractionError(f"{what} is not a readable DOCX document "
                              f"({type(exc).__name__}: {exc})") from exc
    result = Extraction()
    pending: list[str] = []  # paragraphs since the last table
    heading = ""
    for kind, element in _body_blocks(document.element.body):
        if kind == "p":
            text = _paragraph_text(element)
            if not text:
                continue
            if not heading and _is_heading(element, document):
                heading = text
            if result.tables and not pending and is_note(text):
                result.tables[-1].notes.append(text)  # '备注：…' printed under the table
                continue
            result.paragraphs.append(Paragraph(text=text))
            pending.append(text)
        else:
            grid = table_grid(element)
            context = caption_lines(pending)
            tables = frame(grid, before=context, start_index=len(result.tables))
            if tables:
                _drop_captions(result.paragraphs, context)
            result.tables.extend(tables)
            pending = []
    first = result.paragraphs[0].text if result.paragraphs else ""
    result.title = (_core_title(document) or heading or first
                    or next((t.title for t in result.tables if t.title), "") or _title_from_filename(filename))
    if not result.tables and not result.paragraphs:
        result.status = "partial"
        result.error = f"{what} has no text and no table"
    return result


# python-docx answers this title for a package without docProps/core.xml, and its own template
# carries it: never a title anyone gave the document.
PLACEHOLDER_TITLES = {"word document"}


def _core_title(document) -> str:
    """The title property, only when the file has its own core properties part."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    if not any(rel.reltype == RT.CORE_PROPERTIES for rel in document.part.package.rels.values()):
        return ""
    title = (document.core_properties.title or "").strip()
    return "" if title.lower() in PLACEHOLDER_TITLES else title


def _drop_captions(paragraphs: list[Paragraph], context: list[str]) -> None:
    """The 附件 label, title and unit lines just above a table belong to the table, not to
    the narrative (an HTML page's narrative leaves them out too)."""
    for text in reversed(context):
        if not paragraphs or paragraphs[-1].text != text or caption_kind([text]) not in ("title", "label", "unit"):
            break
        paragraphs.pop()


def _body_blocks(container):
    """('p' | 'tbl', element) in reading order, looking inside content controls."""
    for child in container.iterchildren():
        if child.tag == W + "p":
            yield "p", child
        elif child.tag == W + "tbl":
            if child.find(f"{W}tr/{W}tc/{W}tbl") is not None:
                # a layout table wrapping the real ones: read its cells as the page
                for tc in child.iterfind(f"{W}tr/{W}tc"):
                    yield from _body_blocks(tc)
            else:
                yield "tbl", child
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _body_blocks(content)


def _paragraph_text(p) -> str:
    from docx.text.paragraph import Paragraph as DocxParagraph

    return DocxParagraph(p, None).text.replace("\u00a0", " ").strip()


def _is_heading(p, document) -> bool:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return False
    if ppr.find(W + "outlineLvl") is not None:
        return True
    style = ppr.find(W + "pStyle")
    if style is None:
        return False
    style_id = style.get(W + "val", "")
    try:
        name = document.styles.get_by_id(style_id, 1).name or ""  # 1: paragraph style
    except Exception:  # a style id the document does not define
        name = style_id
    return name.lower().startswith(("heading", "title")) or style_id.lower().startswith(("heading", "title"))


def table_grid(tbl) -> list[list[str]]:
    """A w:tbl as equal-width rows, merged cells repeated into every grid cell they cover."""
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(W + "tr"):
        row = [""] * _grid_value(tr, "trPr", "gridBefore", 0)
        for tc in _row_cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = max(_grid_value(tc, "tcPr", "gridSpan", 1), 1)
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            col = len(row)
            if vmerge is not None and vmerge.get(W + "val", "continue") == "continue":
                above = rows[-1] if rows else []
                text = above[col] if col < len(above) else ""
            else:
                text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(W + "p")).strip()
            row.extend([text] * span)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _row_cells(tr):
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            yield child
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from content.iterchildren(W + "tc")


def _grid_value(element, props: str, name: str, default: int) -> int:
    pr = element.find(W + props)
    node = pr.find(W + name) if pr is not None else None
    if node is None:
        return default
    try:
        return max(0, min(int(node.get(W + "val", default)), MAX_SPAN))
    except ValueError:
        return default


def convert_to_docx(data: bytes, filename: str = "", timeout: int = CONVERSION_TIMEOUT) -> bytes:
    """A legacy DOC/WPS file converted by LibreOffice, in a temporary folder of its own."""
    what = filename or "the document"
    limits.check_document_size(len(data), what)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ExtractionError(
            f"{what} is a legacy Word/WPS document; reading it needs LibreOffice (Debian package "
            "libreoffice-writer-nogui, installed by scripts/install.sh)", status="unsupported")
    suffix = ".rtf" if is_rtf(data) else ".wps" if filename.lower().endswith(".wps") else ".doc"
    root = scratch_root().resolve()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=root) as tmp:
        source = Path(tmp) / f"document{suffix}"
        source.write_bytes(data)
        out = Path(tmp) / "out"
        command = [
            soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source),
        ]
        # LibreOffice's launcher forks the converter, which no death signal reaches: a guard shell
        # leads a process group of its own, gets SIGTERM when this process dies (even by SIGKILL),
        # and then kills the whole group, itself included
        process = subprocess.Popen(["/bin/sh", "-c", GUARD, "guard", *command], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_term_with_parent)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ExtractionError(f"LibreOffice took more than {timeout} s to convert {what}")
        finally:
            if process.poll() is None:  # interrupted: nothing of LibreOffice outlives the call
                os.killpg(process.pid, signal.SIGKILL)
        converted = out / "document.docx"
        if not converted.exists():
            reason = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise ExtractionError(f"LibreOffice could not convert {what}: {reason[0]}")
        return converted.read_bytes()


# The converter's folders (its copy of the file, its profile, its output) live under the data
# folder, not the system's temporary one: `scratch_root()`, data/tmp unless BUDGETS_SCRATCH_DIR
# or `use_scratch_root` (the database's folder, budgets/worker.py) says otherwise. Each is named
# after the process that made it, so one left by a killed run is found and removed next time.
SCRATCH_PREFIX = "doc-"
SCRATCH_VARIABLE = "BUDGETS_SCRATCH_DIR"
_scratch: Path | None = None
GUARD = 'trap "kill -KILL -$$" TERM; "$@" & wait $!'


def scratch_root() -> Path:
    return _scratch or Path(os.environ.get(SCRATCH_VARIABLE) or "data/tmp")


def use_scratch_root(folder: Path | str) -> list[Path]:
    """Convert under `folder` from now on (a forked worker inherits it); removes what killed
    runs left there and returns what was removed."""
    global _scratch
    _scratch = Path(folder)
    return remove_stale_scratch(_scratch)


def remove_stale_scratch(root: Path) -> list[Path]:
    """The converter folders under `root` whose process is gone."""
    removed = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for entry in entries:
        owner = entry.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if not entry.name.startswith(SCRATCH_PREFIX) or not owner.isdigit() or _running(int(owner)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _term_with_parent() -> None:
    """In the guard, before it runs: SIGTERM when the process that started it dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
