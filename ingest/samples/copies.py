"""Copies (bản sao, Decree 30 art. 25-27): an original with the copy's own block at its end.

A *sao y* reproduces the whole original, a *trích sao* part of it, a *sao
lục* is made from a sao y.  The copy keeps the original's header, number and
date; under the original's signature a full-width rule opens the copy block:
the copying body and the copy's number (``Số: 05/SY-VP``) on the left, the
form (``SAO Y``) and the copy's place and date on the right, then its own
Nơi nhận and signature.

The record of a copy describes the original (number, date, type, issuer, as
the register wants them); the copy block goes into the ``copy_*`` fields.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ingest.samples.compose import HEADER_SIZE, person_name, signature_lines, vn_date
from ingest.samples.doctypes import COPY_FORMS
from ingest.samples.spec import DocumentSpec, Para
from ingest.samples.vocabulary import Body


def copy_date(rng: random.Random, original: date) -> date:
    """A working day a little after the original's date."""
    day = original + timedelta(days=rng.randint(1, 20))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def add_copy_block(
    spec: DocumentSpec,
    rng: random.Random,
    form: str,
    body: Body,
    *,
    number: int,
    day: date,
) -> None:
    """Close ``spec`` with the block of a copy of ``form`` ("SY", "TrS", "SL") made by ``body``."""
    name, printed = COPY_FORMS[form]
    symbol = f"{number:02d}/{form}-{body.abbr}"
    if body.parent:
        spec.copy_left.append(Para(body.parent, size=HEADER_SIZE, align="center"))
    spec.copy_left += [Para(line, bold=True, size=HEADER_SIZE, align="center")
                       for line in body.lines]  # fmt: skip
    spec.copy_left.append(Para(f"Số: {symbol}", size=HEADER_SIZE, align="center", wrap=False))
    spec.copy_right.append(Para(printed, bold=True, size=HEADER_SIZE + 0.5, align="center"))
    spec.copy_right.append(Para(f"{body.place}, {vn_date(day)}", italic=True, size=HEADER_SIZE,
                                align="center"))  # fmt: skip
    recipients = ["Như trên;", f"Lưu: VT, {rng.choice(body.units)}."]
    spec.copy_recipients.append(Para("Nơi nhận:", bold=True, italic=True, size=12, space_before=3))
    spec.copy_recipients += [Para(f"- {line}", size=11) for line in recipients]
    lines, _, _ = signature_lines(rng, body)
    spec.copy_signature += [Para(line, bold=True, size=13, align="center", space_before=3 if i == 0
                                 else 0) for i, line in enumerate(lines)]  # fmt: skip
    spec.copy_signature.append(Para(person_name(rng), bold=True, size=13.5, align="center",
                                    space_before=14))  # fmt: skip
    spec.metadata.update(
        copy_form=name,
        copy_number_symbol=symbol,
        copy_issuing_body=body.name,
        copy_issue_date=day.isoformat(),
    )
