"""Check the real-document set: schema, truth against print, counts.

Run: python3 tests/resources/real/check.py  (exit status 1 on any problem)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
LEVELS = {"national", "ministry", "provincial", "department", "commune", "party", "court",
          "procuracy", "public_unit", "company", "mass_org", "assembly"}
PRINT_KEYS = {"parent_body", "issuing_body", "number", "place_date", "marks", "title", "subject",
              "recipients_to", "body", "signature", "recipients", "appendix"}
# Printed by an organisation with a header of its own (format "other"): the lines at
# the top right where the state prints its motto (ĐOÀN TNCS HỒ CHÍ MINH; none when it
# heads the left column with its name), and the mark under its issuing body (***).
OPTIONAL_PRINT_KEYS = {"header_right", "separator"}
TRUTH_KEYS = {"number_symbol", "issue_date", "issue_place", "doc_type", "title", "issuing_body",
              "parent_body", "subject", "signer_name", "signer_title", "signer_authority",
              "urgency", "secrecy"}
AUTHORITIES = {None, "TM.", "KT.", "TL.", "TUQ.", "Q.", "T/M", "K/T", "T/L"}
URGENCY = {None, "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"}
SECRECY = {None, "MẬT", "TỐI MẬT", "TUYỆT MẬT"}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def problems(doc: dict, name: str) -> list[str]:
    out: list[str] = []
    say = out.append
    for key in ("id", "source", "level", "format", "print", "truth"):
        if key not in doc:
            say(f"missing {key}")
    if out:
        return out
    if f"{doc['id']}.json" != name:
        say(f"id {doc['id']} does not match the file name")
    if not doc["source"].startswith("http"):
        say("source is not a URL")
    if "batch" in doc and (not isinstance(doc["batch"], str) or not doc["batch"].strip()):
        # A batch kept out of drawing the describer's rules (a held-out measure):
        # bench/extraction.py --real --batch NAME reads only its documents.
        say(f"batch {doc['batch']!r}: a name, or no batch key")
    unknown = set(doc) - {"id", "batch", "source", "level", "format", "print", "truth"}
    if unknown:
        say(f"unknown keys: {sorted(unknown)}")
    if doc["level"] not in LEVELS:
        say(f"level {doc['level']!r}")
    if doc["format"] not in ("state", "party", "other"):
        say(f"format {doc['format']!r}")
    p, t = doc["print"], doc["truth"]
    if set(p) - OPTIONAL_PRINT_KEYS != PRINT_KEYS:
        say(f"print keys: {sorted((set(p) - OPTIONAL_PRINT_KEYS) ^ PRINT_KEYS)}")
    if doc["format"] != "other" and (p.get("header_right") or p.get("separator")):
        say("only format other prints a header_right or separator of its own")
    if set(t) != TRUTH_KEYS:
        say(f"truth keys: {sorted(set(t) ^ TRUTH_KEYS)}")
    if out:
        return out
    for s in _strings(doc):
        if unicodedata.normalize("NFC", s) != s:
            say(f"not NFC: {s[:40]!r}")
        if s != s.strip() or "  " in s:
            say(f"stray spaces: {s[:40]!r}")
    try:
        date = dt.date.fromisoformat(t["issue_date"])
    except (TypeError, ValueError):
        say(f"issue_date {t['issue_date']!r}")
    else:
        if f"năm {date.year}" not in p["place_date"] or f"tháng {date.month}" not in \
                p["place_date"].replace("tháng 0", "tháng "):
            say("issue_date disagrees with place_date")
    if t["issue_place"] and not p["place_date"].startswith(t["issue_place"] + ", ngày"):
        say("issue_place is not what place_date prints before ', ngày'")
    ns = t["number_symbol"]
    if (ns is None) != (not p["number"]):
        say("number_symbol null but a number is printed, or the reverse")
    if ns and ns not in p["number"]:
        say("number_symbol not in print.number")
    if t["subject"] != " ".join(p["subject"]):
        say("subject is not the joined print.subject")
    if t["issuing_body"] != " ".join(p["issuing_body"]):
        say("issuing_body is not the joined print.issuing_body")
    if t["parent_body"] != (" ".join(p["parent_body"]) or None):
        say("parent_body is not the joined print.parent_body")
    if t["title"] != p["title"]:
        say("title differs from print.title")
    if (t["doc_type"] == "Công văn") != (t["title"] is None):
        say("a công văn has no title line, and only a công văn")
    if t["doc_type"] == "Công văn" and not t["subject"].startswith(("V/v", "Về")):
        # The trích yếu of a công văn opens with "V/v" or, as many offices print it in
        # full, "Về việc" / "Về:"; the truth keeps whichever the document prints.
        say("a công văn's subject keeps its V/v (or the Về việc it prints)")
    if t["doc_type"] != t["doc_type"][:1].upper() + t["doc_type"][1:].lower():
        say(f"doc_type {t['doc_type']!r}: only its first letter capital")
    sig = p["signature"]
    if t["signer_name"] != sig["name"]:
        say("signer_name differs from print.signature.name")
    if not sig["lines"] or not sig["lines"][-1].endswith(t["signer_title"]):
        say("signer_title is not the end of the last signature line")
    if t["signer_authority"] not in AUTHORITIES:
        say(f"signer_authority {t['signer_authority']!r}")
    elif t["signer_authority"] and not any(line.startswith(t["signer_authority"])
                                           for line in sig["lines"]):
        say("signer_authority is not printed in the signature lines")
    if t["urgency"] not in URGENCY or t["secrecy"] not in SECRECY:
        say("urgency or secrecy not a known mark")
    for mark in (t["urgency"], t["secrecy"]):
        if mark and mark not in p["marks"]:
            say(f"mark {mark} not in print.marks")
    if not p["body"]:
        say("empty body")
    return out


def main() -> int:
    files = sorted((HERE / "documents").glob("*.json"))
    docs, bad, seen = [], 0, Counter()
    for path in files:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            print(f"{path.name}: not JSON: {exc}")
            bad += 1
            continue
        seen[doc.get("id")] += 1
        found = problems(doc, path.name)
        for problem in found:
            print(f"{path.name}: {problem}")
        bad += bool(found)
        docs.append(doc)
    for ident, count in seen.items():
        if count > 1:
            print(f"id {ident} used {count} times")
            bad += 1
    numbers = Counter((d["truth"]["number_symbol"], d["truth"]["issue_date"]) for d in docs)
    for key, count in numbers.items():
        if count > 1:
            print(f"the same document twice: {key}")
            bad += 1
    for label, key in (("batch", lambda d: d.get("batch") or "-"),
                       ("level", lambda d: d["level"]),
                       ("type", lambda d: d["truth"]["doc_type"]),
                       ("issuing body", lambda d: " / ".join(filter(None, (
                           d["truth"]["parent_body"], d["truth"]["issuing_body"])))),
                       ("authority", lambda d: d["truth"]["signer_authority"] or "-"),
                       ("year", lambda d: d["truth"]["issue_date"][:4])):
        counts = Counter(key(d) for d in docs)
        print(f"\n{label} ({len(counts)}):")
        for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
            print(f"  {count:3d}  {value}")
    print(f"\n{len(docs)} documents, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
