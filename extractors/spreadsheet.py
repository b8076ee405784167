"""XLSX, legacy XLS and WPS ET workbooks → tables.

XLSX is read with openpyxl (merged ranges, hidden rows and columns, cached formula values);
XLS and ET (WPS Spreadsheets saves BIFF8 like Excel 97) with xlrd. Formulas are
never evaluated: a cell shows the value the program that saved the file computed, and a
formula saved without one is reported. Hidden sheets, rows and columns are skipped, as a
reader of the file would not see them; each table's notes say how many rows were hidden.
Numbers keep their printed digits: 1207.84 stays '1207.84', never 1207.8399999999999.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import struct
import warnings
import zipfile
import zlib
from decimal import Decimal

from extractors import limits
from extractors.framing import frame, sheet_label, sheet_title
from extractors.model import Extraction, ExtractionError, Table
from extractors.wordprocessing import is_encrypted_office

OLE2 = b"\xd0\xcf\x11\xe0"
FORMULA = re.compile(rb"<f[ >/]")
MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z0-9:$]+)"')
MAX_CELLS = 5_000_000  # one sheet's grid; a real disclosure table has a few thousand


def extract(data: bytes, filename: str = "") -> Extraction:
    if data.startswith(b"PK\x03\x04"):
        return extract_xlsx(data, filename)
    if data.startswith(OLE2):
        return extract_legacy(data, filename)
    raise ExtractionError(f"{filename or 'the file'} is neither an XLSX nor an XLS/ET workbook")


# --- numbers ---------------------------------------------------------------------------------

_DECIMALS = re.compile(r"0\.(0+)")


def format_number(value: float | int, number_format: str = "General") -> str:
    """A stored number as the sheet prints it, without binary float noise.

    Excel keeps 15 significant digits, so the value is read at that precision; a fixed number
    of decimals in the cell's format ('0.00') pads the text ('20.7' → '20.70') but never
    rounds digits away.
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        amount = Decimal(value)
    else:
        amount = Decimal(format(value, ".15g"))
    section = (number_format or "General").split(";")[0]
    percent = "%" in section and not section.startswith("@")
    if percent:
        amount *= 100
    text = _plain(amount)
    m = _DECIMALS.search(section.replace(",", ""))
    if m:
        want = len(m.group(1))
        have = len(text.split(".")[1]) if "." in text else 0
        if have < want:
            text = f"{amount:.{want}f}"
    return text + ("%" if percent else "")


def _plain(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


def cell_text(value, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return format_number(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


# --- XLSX ------------------------------------------------------------------------------------

def extract_xlsx(data: bytes, filename: str = "") -> Extraction:
    import openpyxl

    what = filename or "the workbook"
    archive = limits.open_container(data, what)
    has_formulas = False
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/"):
            xml = limits.read_member(archive, info, what)
            has_formulas = has_formulas or bool(FORMULA.search(xml))
            _check_merges(xml, what)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
            formulas = (openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
                        if has_formulas else None)
        except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, AttributeError,
                IndexError, OSError, EOFError, SyntaxError, NotImplementedError, RuntimeError) as exc:  # SyntaxError: lxml's XML errors; RuntimeError: an encrypted member
            raise ExtractionError(f"{what} is not a readable XLSX workbook "
                                  f"({type(exc).__name__}: {exc})") from exc
    result = Extraction(title=(book.properties.title or "").strip())
    uncached = 0
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        grid, hidden_rows, missing = _xlsx_grid(sheet, formulas[sheet.title] if formulas else None)
        uncached += missing
        tables = frame(grid, before=[], fallback_title=_sheet_title(sheet.title), start_index=len(result.tables))
        for table in tables:
            _fallback_label(table, sheet.title)
            if hidden_rows:
                table.notes.append(f"{hidden_rows} hidden rows of sheet {sheet.title!r} skipped")
        result.tables.extend(tables)
    _finish(result, what)
    if uncached:
        result.status = "partial"
        result.error = (
            f"{uncached} formula cells in {what} were saved without a computed value and read as "
            "empty; open and save the file in a spreadsheet program to store the values"
        )
    return result


def _check_merges(xml: bytes, what: str) -> None:
    """openpyxl makes an object for every cell a merged range covers: refuse ranges that
    would cover millions before it tries."""
    from openpyxl.utils.cell import range_boundaries

    covered = 0
    for ref in MERGE.findall(xml):
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
        except (ValueError, TypeError, UnicodeDecodeError):
            continue
        covered += (max_col - min_col + 1) * (max_row - min_row + 1)
        if covered > MAX_CELLS:
            raise limits.LimitExceeded(
                f"{what}: merged cells cover more than {MAX_CELLS} cells of one sheet "
                f"(range {ref.decode('ascii', 'replace')})")


def _xlsx_grid(sheet, formula_sheet) -> tuple[list[list[str]], int, int]:
    """Visible cells as text, merged ranges repeated, hidden rows and columns left out."""
    # The extent of cells that hold something: a styled cell at XFD1048576 must not make a
    # grid of 17 billion cells.
    stored = [cell for cell in sheet._cells.values() if cell.value is not None]
    max_row = max((c.row for c in stored), default=0)
    max_col = max((c.column for c in stored), default=0)
    for merged in sheet.merged_cells.ranges:  # a merged cell reaches as far as its range
        if (merged.min_row, merged.min_col) in sheet._cells and \
                sheet._cells[(merged.min_row, merged.min_col)].value is not None:
            max_row, max_col = max(max_row, merged.max_row), max(max_col, merged.max_col)
    if max_row * max_col > MAX_CELLS:
        raise limits.LimitExceeded(
            f"sheet {sheet.title!r} spans {max_row} rows × {max_col} columns, above the "
            f"{MAX_CELLS} cells one sheet may have")
    hidden_cols = set()
    for dim in sheet.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            hidden_cols.update(range(dim.min, dim.max + 1))
    hidden_rows = {r for r, dim in sheet.row_dimensions.items() if dim.hidden}
    cells: dict[tuple[int, int], str] = {}
    missing = 0
    for cell in stored:
        cells[(cell.row, cell.column)] = cell_text(cell.value, cell.number_format)
    if formula_sheet is not None:
        missing = sum(1 for (r, c), cell in formula_sheet._cells.items()
                      if (r, c) not in cells and _is_formula(cell))
    for merged in sheet.merged_cells.ranges:
        text = cells.get((merged.min_row, merged.min_col), "")
        for r in range(merged.min_row, min(merged.max_row, max_row) + 1):  # clipped to the extent
            for c in range(merged.min_col, min(merged.max_col, max_col) + 1):
                cells[(r, c)] = text
    columns = [c for c in range(1, max_col + 1) if c not in hidden_cols]
    grid = [[cells.get((r, c), "") for c in columns]
            for r in range(1, max_row + 1) if r not in hidden_rows]
    skipped = sum(1 for r in hidden_rows if r <= max_row
                  and any(cells.get((r, c)) for c in columns))
    return grid, skipped, missing


def _is_formula(cell) -> bool:
    value = cell.value
    return (isinstance(value, str) and value.startswith("=")) or value.__class__.__name__ == "ArrayFormula"


# --- XLS / ET --------------------------------------------------------------------------------

def extract_legacy(data: bytes, filename: str = "") -> Extraction:
    """Excel 97–2003 and WPS ET workbooks (OLE2 compound files)."""
    what = filename or "the workbook"
    limits.check_document_size(len(data), what)
    if is_encrypted_office(data):
        raise ExtractionError(f"{what} is password-protected; it cannot be read", status="unsupported")
    result = Extraction()
    for name, grid, hidden_rows in _legacy_sheets(data, what):
        tables = frame(grid, before=[], fallback_title=_sheet_title(name), start_index=len(result.tables))
        for table in tables:
            _fallback_label(table, name)
            if hidden_rows:
                table.notes.append(f"{hidden_rows} hidden rows of sheet {name!r} skipped")
        result.tables.extend(tables)
    _finish(result, what)
    return result


def _legacy_sheets(data: bytes, what: str) -> list[tuple[str, list[list[str]], int]]:
    """(name, grid, hidden rows with content) of each visible worksheet, read by xlrd: pure Python, so a damaged file
    raises an exception rather than aborting the process, and it exposes number formats,
    merged ranges and hidden rows and columns."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except (xlrd.biffh.XLRDError, xlrd.compdoc.CompDocError) as exc:
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise ExtractionError(f"{what} is password-protected; it cannot be read",
                                  status="unsupported") from exc
        raise ExtractionError(f"{what} is not a readable XLS/ET workbook: {exc}") from exc
    except (ValueError, IndexError, KeyError, struct.error, AssertionError, TypeError, EOFError,
            UnicodeDecodeError, OverflowError) as exc:
        raise ExtractionError(f"{what} is not a readable XLS/ET workbook "
                              f"({type(exc).__name__}: {exc})") from exc
    sheets = []
    for sheet in book.sheets():
        if sheet.visibility != 0:  # 1 hidden, 2 very hidden
            continue
        if sheet.nrows * sheet.ncols > MAX_CELLS:
            raise limits.LimitExceeded(
                f"sheet {sheet.name!r} spans {sheet.nrows} rows × {sheet.ncols} columns, above "
                f"the {MAX_CELLS} cells one sheet may have")
        sheets.append((sheet.name, *_legacy_grid(book, sheet)))
    return sheets


def _legacy_grid(book, sheet) -> tuple[list[list[str]], int]:
    import xlrd

    def text(r: int, c: int) -> str:
        cell = sheet.cell(r, c)
        if cell.ctype == xlrd.XL_CELL_NUMBER:
            xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
            fmt = book.format_map[xf.format_key].format_str if xf and xf.format_key in book.format_map else ""
            return format_number(cell.value, fmt)
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
            except (ValueError, OverflowError):
                return format_number(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return "TRUE" if cell.value else "FALSE"
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#ERR")
        return str(cell.value or "")

    cells = {(r, c): text(r, c) for r in range(sheet.nrows) for c in range(sheet.ncols)}
    for rlo, rhi, clo, chi in sheet.merged_cells:  # half-open ranges
        value = cells.get((rlo, clo), "")
        for r in range(rlo, min(rhi, sheet.nrows)):
            for c in range(clo, min(chi, sheet.ncols)):
                cells[(r, c)] = value
    hidden = {r for r in range(sheet.nrows) if getattr(sheet.rowinfo_map.get(r), "hidden", 0)}
    cols = [c for c in range(sheet.ncols) if not getattr(sheet.colinfo_map.get(c), "hidden", 0)]
    grid = [[cells[(r, c)] for c in cols] for r in range(sheet.nrows) if r not in hidden]
    return grid, sum(1 for r in hidden if any(cells[(r, c)] for c in cols))


# --- both --------------------------------------------------------------------------------------

def _sheet_title(sheet_name: str) -> str:
    return sheet_title(sheet_name)


def _fallback_label(table: Table, sheet_name: str) -> None:
    table.label = table.label or sheet_label(sheet_name)


def _finish(result: Extraction, what: str) -> None:
    if not result.title:
        result.title = next((t.title for t in result.tables if t.title), "")
    if not result.tables:
        result.status = "partial"
        result.error = f"{what} has no visible sheet with a table"
