"""The web service's tables, beside the register's in the same database.

Users, server-side sessions, the login throttle's counts, uploads and saved
searches (``apps.web.accounts`` reads and writes them).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    select,
)

metadata = MetaData()

users = Table(
    "web_users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("clearance", Integer, nullable=False, default=0),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per signed-in session.  The cookie carries a random id; only its SHA-256
# is stored, so a copy of this table opens no session.  Times are Unix seconds.
sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created", Float, nullable=False),
    Column("seen", Float, nullable=False),
)

# Failed sign-ins (and attempts being checked) of the last window, one row per
# account or address counted: every ``docket serve`` worker counts in the same
# place.  Times are Unix seconds.
login_failures = Table(
    "web_login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(8), nullable=False),  # "account" or "address"
    Column("key", String(255), nullable=False),
    Column("at", Float, nullable=False, index=True),
    Index("ix_web_login_failures_key", "scope", "key", "at"),
)
# PostgreSQL has no BEGIN IMMEDIATE: claims take this transaction lock instead,
# so guesses sent at once to several workers are counted one after another.
THROTTLE_LOCK = 0x646F636B6574

uploads = Table(
    "web_uploads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, index=True),
    Column("doc_id", String(16), nullable=False, index=True),
    Column("sha256", String(64), nullable=False),
    Column("original_name", String(255), nullable=False),
    Column("direction", String(16), nullable=False),
    Column("folder", String(255), nullable=False, default=""),
    Column("inbox_path", String(1024), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

saved_searches = Table(
    "web_saved_searches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, index=True),
    Column("name", String(120), nullable=False),
    Column("query", String(2000), nullable=False),  # the search page's query string
    Column("created_at", DateTime(timezone=True), nullable=False),
)
MAX_SAVED_SEARCHES = 50

# The statements of every request (the sessions middleware) and of every search
# page, built once: building a select cost more than running it.
SESSION_AND_USER = (
    select(sessions, users.c.role, users.c.clearance, users.c.active)
    .outerjoin(users, users.c.username == sessions.c.username)
    .where(sessions.c.id_hash == bindparam("id_hash"))
)
SAVED_SEARCHES_OF = (
    select(saved_searches.c.id, saved_searches.c.name, saved_searches.c.query)
    .where(saved_searches.c.username == bindparam("username"))
    .order_by(saved_searches.c.id.desc())
)
