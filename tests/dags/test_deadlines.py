"""``docket_deadlines`` through ``airflow dags test`` on a frozen day, with a real SMTP server.

The office of tests/ingest/test_tracking_digests.py (one overdue and one
due-soon letter for Sở Tài chính across the Giỗ Tổ and 30/4-1/5 holidays, a
secret one, a handled one), on Wednesday 29/4/2026.  Three runs, in order:
without e-mail configured (files only, the e-mail task skipped), with
Airflow's ``[smtp]`` pointed at an aiosmtpd server this test starts (one
message to Sở Tài chính's two addresses), and the same again (the files
replaced, no second message).
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from kernel.settings import load_settings
from tests.dags.conftest import AirflowHome
from tests.ingest.test_tracking_digests import UNITS, prepare_office

pytestmark = pytest.mark.slow

SENDER = "docket@hanam.gov.vn"


class Mailbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


def dags_test(airflow: AirflowHome, env: dict[str, str]) -> str:
    result = airflow.run("dags", "test", "docket_deadlines", "2026-04-29", extra_env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    return output


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def test_the_digests_are_written_and_mailed_once(
    airflow_home: AirflowHome, smtp_server: tuple[Mailbox, int], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    settings = load_settings(data_dir=data_dir, quiet_seconds=0.0, tracking_units=UNITS)
    prepare_office(settings)
    env = {"DOCKET_DATA_DIR": str(data_dir), "DOCKET_TIMEZONE": "Asia/Ho_Chi_Minh",
           "DOCKET_TRACKING_UNITS": json.dumps(UNITS, ensure_ascii=False)}
    mailbox, port = smtp_server

    dags_test(airflow_home, env)
    folder = settings.digests_location / "2026-04-29"
    assert sorted(p.name for p in folder.iterdir()) == [
        "so-noi-vu.json", "so-noi-vu.md", "so-tai-chinh.json", "so-tai-chinh.md"]
    page = (folder / "so-tai-chinh.md").read_text(encoding="utf-8")
    assert "## Quá hạn (1)" in page and "| 45/SNV-VP |" in page
    assert "| 24/04/2026 | 2 ngày làm việc |" in page  # Monday 27/4 was off
    assert "## Sắp đến hạn, đến hết ngày 05/05/2026 (1)" in page and "| 46/SNV-VP |" in page
    assert "48/SNV-VP" not in page  # the secret letter
    assert mailbox.messages == []  # Airflow's e-mail is not configured: files only

    smtp = {"AIRFLOW__SMTP__SMTP_HOST": "127.0.0.1", "AIRFLOW__SMTP__SMTP_PORT": str(port),
            "AIRFLOW__SMTP__SMTP_STARTTLS": "False", "AIRFLOW__SMTP__SMTP_SSL": "False",
            "AIRFLOW__SMTP__SMTP_MAIL_FROM": SENDER, "AIRFLOW__SMTP__SMTP_RETRY_LIMIT": "1"}
    dags_test(airflow_home, {**env, **smtp})
    [(recipients, message)] = mailbox.messages
    assert sorted(recipients) == ["lan@hanam.gov.vn", "stc@hanam.gov.vn"]
    assert message["From"] == SENDER
    assert message["Subject"] == ("[Docket] Sở Tài chính: 1 văn bản quá hạn, "
                                  "1 sắp đến hạn (29/04/2026)")
    body = html_of(message)
    assert "<td>45/SNV-VP</td>" in body and "<td>2 ngày làm việc</td>" in body
    assert "48/SNV-VP" not in body

    dags_test(airflow_home, {**env, **smtp})  # a re-run of the same day
    assert len(mailbox.messages) == 1
    assert len(list(folder.glob("*.md"))) == 2
