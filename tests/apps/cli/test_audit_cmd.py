"""``docket audit verify`` and ``docket audit list`` on a real register database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from apps.web.accounts import Accounts
from ingest.register.engine import open_engine
from kernel.settings import load_settings
from tests.apps.cli.test_commands import docket

EXIT_BROKEN = 3


def _accounts(data_dir: Path) -> Accounts:
    return Accounts.open(load_settings(data_dir=data_dir).register_location)


def test_verify_says_ok_then_names_the_deleted_entry(tmp_path: Path) -> None:
    accounts = _accounts(tmp_path)
    try:
        for number in range(4):
            accounts.audit("lan", "download", f"{number:016x}", f"công văn {number}.pdf")
        head = accounts.audit_entries(limit=1)[0]
    finally:
        accounts.close()
    done = docket(tmp_path, "audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "nguyên vẹn: 4 mục" in done.stdout and head.entry_hash in done.stdout
    english = docket(tmp_path, "--lang", "en", "audit", "verify")
    assert "Audit chain intact: 4 entries; head #4" in english.stdout

    listed = docket(tmp_path, "audit", "list", "--doc", f"{2:016x}")
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["#3"]
    assert "công văn 2.pdf" in listed.stdout

    accounts = _accounts(tmp_path)  # tamper as the database owner would
    with accounts.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_chain_no_delete"))
        conn.execute(text("DELETE FROM audit_chain WHERE seq = 2"))
    accounts.close()
    broken = docket(tmp_path, "--lang", "en", "audit", "verify")
    assert broken.returncode == EXIT_BROKEN
    assert "entry #3: entries #2 to #2 are missing (deleted)" in broken.stdout
    anchored = docket(tmp_path, "audit", "verify", "--anchor", f"9:{head.entry_hash}")
    assert anchored.returncode == EXIT_BROKEN


def test_verify_on_an_empty_log_and_a_bad_anchor(tmp_path: Path) -> None:
    done = docket(tmp_path, "--lang", "en", "audit", "verify")
    assert done.returncode == 0 and "empty" in done.stdout
    bad = docket(tmp_path, "audit", "verify", "--anchor", "abc")
    assert bad.returncode == 2 and "SEQ:HASH" in bad.stderr


def test_an_old_audit_table_is_chained_when_the_command_first_opens_it(tmp_path: Path) -> None:
    # The table exactly as earlier versions of the web service created it.
    engine = open_engine(load_settings(data_dir=tmp_path).register_location)
    with engine.begin() as conn:
        conn.execute(text(
            "CREATE TABLE web_audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "at DATETIME NOT NULL, username VARCHAR(64) NOT NULL, action VARCHAR(32) NOT NULL, "
            "doc_id VARCHAR(16), detail VARCHAR(512) NOT NULL)"))
        conn.execute(text(
            "INSERT INTO web_audit_log (at, username, action, doc_id, detail) VALUES "
            "('2025-03-04 05:06:07.123456', 'lan', 'view', '00000000000000aa', 'MẬT'), "
            "('2025-03-04 05:07:00.000000', 'lan', 'download', '00000000000000aa', 'a.pdf')"))
    engine.dispose()
    done = docket(tmp_path, "--lang", "en", "audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "intact: 3 entries" in done.stdout
    listed = docket(tmp_path, "audit", "list")
    assert [line.split()[4] for line in listed.stdout.splitlines()] == [
        "chain_upgrade", "download", "view"]
    assert "04/03/2025 12:06:07" in listed.stdout  # the old time kept (UTC+7 shown)
