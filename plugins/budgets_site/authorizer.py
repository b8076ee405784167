"""prepare_connection: every SQLite connection the site opens reads only, within bounds."""
from __future__ import annotations

import sqlite3

from datasette import hookimpl

from .responses import bound_responses

# The largest string or blob any SQL may build: well above every value in the database, far below
# what one `select zeroblob(400000000)` (or randomblob, printf('%.*c', ...)) would make the server hold.
VALUE_LIMIT_BYTES = 50 * 1024 * 1024
SQL_LIMIT_BYTES = 1024 * 1024
# fts3_tokenizer() leaks a pointer and can register a tokenizer at an arbitrary address.
DENIED_FUNCTIONS = {"fts3_tokenizer", "load_extension", "writefile", "readfile", "edit"}
WRITE_ACTIONS = {getattr(sqlite3, name) for name in (
    "SQLITE_INSERT", "SQLITE_UPDATE", "SQLITE_DELETE", "SQLITE_ATTACH", "SQLITE_DETACH",
    "SQLITE_ALTER_TABLE", "SQLITE_REINDEX", "SQLITE_ANALYZE", "SQLITE_CREATE_INDEX",
    "SQLITE_CREATE_TABLE", "SQLITE_CREATE_TEMP_INDEX", "SQLITE_CREATE_TEMP_TABLE",
    "SQLITE_CREATE_TEMP_TRIGGER", "SQLITE_CREATE_TEMP_VIEW", "SQLITE_CREATE_TRIGGER",
    "SQLITE_CREATE_VIEW", "SQLITE_CREATE_VTABLE", "SQLITE_DROP_INDEX", "SQLITE_DROP_TABLE",
    "SQLITE_DROP_TEMP_INDEX", "SQLITE_DROP_TEMP_TABLE", "SQLITE_DROP_TEMP_TRIGGER",
    "SQLITE_DROP_TEMP_VIEW", "SQLITE_DROP_TRIGGER", "SQLITE_DROP_VIEW", "SQLITE_DROP_VTABLE")}


READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                "foreign_key_list", "foreign_key_check", "table_list"}


def read_only_authorizer(action, arg1, arg2, db_name, trigger):
    """SQLite asks before every step of a statement: deny the dangerous functions, any write and
    any pragma given a value other than the schema questions Datasette asks; reads go on."""
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        # Opening an FTS table asks this of its own; the schema cannot change anyway (the file is
        # opened immutable and `PRAGMA writable_schema = 1` is denied below).
        return sqlite3.SQLITE_OK
    if action in WRITE_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in READ_PRAGMAS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def function_authorizer(action, arg1, arg2, db_name, trigger):
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn, database):
    """Every connection Datasette opens: bounded values, responses and SQL text, no dangerous functions, and
    read-only except Datasette's own in-memory databases (`_internal`, its catalogue, and
    `_memory`, where /-/versions creates FTS tables to see which exist), which hold no file."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_LIMIT_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, SQL_LIMIT_BYTES)
    bound_responses(conn)
    conn.set_authorizer(function_authorizer if database in ("_internal", "_memory") else read_only_authorizer)
