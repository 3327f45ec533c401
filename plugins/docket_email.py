"""E-mail through Airflow's own configuration: is it set, and send the day's digests.

Airflow (3.1) sends e-mail with the function named by ``[email] email_backend``
(by default SMTP, with the server from ``[smtp] smtp_host``/``smtp_port``/
``smtp_starttls``/``smtp_ssl``/``smtp_mail_from`` and the login from the
connection ``[email] email_conn_id``, ``smtp_default``).  Every Airflow has
values there (``smtp_host = localhost`` is written into every new
``airflow.cfg``), so Docket counts e-mail as configured only when someone set
``[smtp] smtp_host`` or ``[email] email_backend`` (another provider's backend:
SES, SendGrid): in the environment (``AIRFLOW__SMTP__SMTP_HOST``, as the
stack's ``.env`` does), or in ``airflow.cfg`` to something other than
Airflow's default.  Otherwise the digests are only written to files.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kernel.settings import Settings


def email_configured() -> bool:
    """True when Airflow was told where to send e-mail (see the module's docstring)."""
    from airflow.configuration import conf

    for section, key in (("smtp", "smtp_host"), ("email", "email_backend")):
        if f"AIRFLOW__{section.upper()}__{key.upper()}" in os.environ:
            return True
        if conf.get(section, key, fallback=None) != conf.get_default_value(section, key):
            return True
    return False


def email_digests(settings: Settings, day: date) -> list[str]:
    """Send each unit's digest of ``day`` that is still to be sent (``digests_to_email``)
    to the unit's addresses; the codes of the units mailed.

    A server that refuses or is down raises, and the task is retried: the
    digests sent before the failure are remembered and not sent again.
    """
    from airflow.providers.smtp.utils.emailer import send_email

    from ingest.tracking_digests import digests_to_email, record_emailed

    sent = []
    for written in digests_to_email(settings, day):
        send_email(list(written.recipients), written.subject, written.html)
        record_emailed(written)
        sent.append(written.digest.unit.code)
    return sent
