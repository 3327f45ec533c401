"""Letters and reports in other languages, as a Vietnamese office receives from abroad.

Each has an organisation header, a place and a date written the way that
language writes dates, a title, a short body and a signature.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ingest.samples.compose import random_date
from ingest.samples.spec import DocumentSpec, Para


@dataclass(frozen=True)
class Language:
    """What a letter in one language is made of."""

    organisations: tuple[str, ...]
    places: tuple[str, ...]
    months: tuple[str, ...]
    date_pattern: str  # uses {day}, {month} (name), {year}
    titles: tuple[str, ...]
    paragraphs: tuple[str, ...]
    signers: tuple[str, ...]
    signer_titles: tuple[str, ...]


LANGUAGES: dict[str, Language] = {
    "en": Language(
        ("Embassy of the United Kingdom", "World Health Organization Country Office",
         "Asian Development Bank Resident Mission"),
        ("Hanoi", "London", "Manila"),
        ("January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"),
        "{day} {month} {year}",
        ("Letter of Invitation", "Progress Report on Technical Assistance",
         "Memorandum on Records Management Cooperation"),
        ("We are pleased to inform you that the joint working group will meet to review "
         "the progress of the digital archive project.",
         "The mission would appreciate your confirmation of the participants and the venue "
         "at your earliest convenience.",
         "Please find attached the summary of activities carried out during the last quarter."),
        ("Sarah Mitchell", "James Whitaker", "Emily Carter"),
        ("Head of Mission", "Programme Manager", "Country Director"),
    ),
    "fr": Language(
        ("Ambassade de France au Vietnam", "Agence française de développement",
         "Archives nationales de France"),
        ("Hanoï", "Paris", "Lyon"),
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
         "septembre", "octobre", "novembre", "décembre"),
        "le {day} {month} {year}",
        ("Lettre d'invitation", "Rapport d'activité",
         "Note relative à la coopération archivistique"),
        ("Nous avons l'honneur de vous informer que la réunion du comité de pilotage se "
         "tiendra à Hanoï au cours du mois prochain.",
         "Je vous prie d'agréer, Monsieur le Président, l'expression de ma haute considération.",
         "Veuillez trouver ci-joint le compte rendu des travaux du groupe d'experts."),
        ("Hélène Dubois", "François Lefèvre", "Amélie Rousseau"),
        ("Conseillère de coopération", "Directeur régional", "Chef de mission"),
    ),
    "ru": Language(
        ("Посольство Российской Федерации", "Торговое представительство России",
         "Федеральное архивное агентство"),
        ("Ханой", "Москва", "Санкт-Петербург"),
        ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
         "сентября", "октября", "ноября", "декабря"),
        "{day} {month} {year} г.",
        ("Письмо-приглашение", "Отчёт о сотрудничестве", "Меморандум о взаимопонимании"),
        ("Настоящим сообщаем, что заседание совместной рабочей группы состоится в "
         "следующем месяце.",
         "Просим подтвердить состав делегации и сроки визита.",
         "Направляем Вам отчёт о проделанной работе за истекший квартал."),
        ("Иван Петров", "Ольга Смирнова", "Андрей Кузнецов"),
        ("Советник", "Руководитель отдела", "Первый секретарь"),
    ),
    "cs": Language(
        ("Velvyslanectví České republiky", "Národní archiv", "Ministerstvo vnitra České republiky"),
        ("Hanoj", "Praha", "Brno"),
        ("ledna", "února", "března", "dubna", "května", "června", "července", "srpna",
         "září", "října", "listopadu", "prosince"),
        "{day}. {month} {year}",
        ("Pozvání na pracovní jednání", "Zpráva o spolupráci", "Memorandum o porozumění"),
        ("Dovolujeme si Vás informovat, že zasedání společné pracovní skupiny se uskuteční "
         "v příštím měsíci.",
         "Prosíme o potvrzení účasti a složení delegace.",
         "V příloze zasíláme zprávu o činnosti za uplynulé čtvrtletí."),
        ("Jana Nováková", "Petr Dvořák", "Tomáš Černý"),
        ("Velvyslankyně", "Ředitel odboru", "Vedoucí oddělení"),
    ),
    "no": Language(
        ("Norges ambassade i Hanoi", "Arkivverket",
         "Direktoratet for forvaltning og økonomistyring"),
        ("Hanoi", "Oslo", "Bergen"),
        ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
         "september", "oktober", "november", "desember"),
        "{day}. {month} {year}",
        ("Invitasjon til arbeidsmøte", "Rapport om samarbeid", "Notat om arkivsamarbeid"),
        ("Vi har gleden av å informere om at den felles arbeidsgruppen vil møtes i løpet "
         "av neste måned.",
         "Vi ber om bekreftelse på deltakere og tidspunkt for besøket.",
         "Vedlagt følger en oversikt over aktivitetene i siste kvartal."),
        ("Kari Nordmann", "Ola Hansen", "Ingrid Solberg"),
        ("Ambassadør", "Seniorrådgiver", "Avdelingsdirektør"),
    ),
}  # fmt: skip

FOREIGN_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)

# Longer letters (the full profile's scans) add these after the body, so the
# error rate of OCR per language is measured over more than a few lines.
MORE_PARAGRAPHS: dict[str, tuple[str, ...]] = {
    "en": ("The delegation will include representatives of the national archives, the ministry "
           "of home affairs and two independent experts.",
           "All documents exchanged during the visit will be recorded in the register and "
           "returned to the originating office within thirty days.",
           "Should you require any further information, please do not hesitate to contact our "
           "office by telephone or e-mail."),
    "fr": ("La délégation comprendra des représentants des archives nationales, du ministère "
           "de l'Intérieur et deux experts indépendants.",
           "Les documents échangés lors de la visite seront enregistrés et restitués au service "
           "d'origine dans un délai de trente jours.",
           "Pour tout renseignement complémentaire, notre service reste à votre disposition par "
           "téléphone ou par courriel."),
    "ru": ("В состав делегации войдут представители государственного архива, министерства "
           "внутренних дел и два независимых эксперта.",
           "Все документы, переданные в ходе визита, будут зарегистрированы и возвращены в "
           "течение тридцати дней.",
           "По всем дополнительным вопросам просим обращаться в наше представительство по "
           "телефону или электронной почте."),
    "cs": ("Součástí delegace budou zástupci Národního archivu, ministerstva vnitra a dva "
           "nezávislí odborníci.",
           "Všechny dokumenty předané během návštěvy budou zaevidovány a vráceny původci do "
           "třiceti dnů.",
           "V případě dalších dotazů se prosím obraťte na naše velvyslanectví telefonicky nebo "
           "e-mailem."),
    "no": ("Delegasjonen vil bestå av representanter fra Arkivverket, Kommunal- og "
           "distriktsdepartementet og to uavhengige eksperter.",
           "Alle dokumenter som utveksles under besøket, blir journalført og returnert til "
           "avsender innen tretti dager.",
           "Dersom dere har spørsmål, ber vi dere ta kontakt med ambassaden på telefon eller "
           "e-post."),
}  # fmt: skip


def written_date(language: Language, day: date) -> str:
    """``day`` as the language writes it ("25 November 2025", "le 25 novembre 2025")."""
    return language.date_pattern.format(day=day.day, month=language.months[day.month - 1],
                                        year=day.year)  # fmt: skip


def compose_foreign(rng: random.Random, code: str, *, longer: bool = False) -> DocumentSpec:
    """A letter or report in language ``code`` (ISO 639-1); ``longer`` adds paragraphs."""
    language = LANGUAGES[code]
    day = random_date(rng)
    organisation = rng.choice(language.organisations)
    place = rng.choice(language.places)
    title = rng.choice(language.titles)
    signer = rng.choice(language.signers)
    signer_title = rng.choice(language.signer_titles)
    when = f"{place}, {written_date(language, day)}"
    spec = DocumentSpec(language=code)
    spec.header_left = [Para(organisation, bold=True, size=12.5, align="center")]
    spec.date_block = [Para(when, italic=True, size=12.5, align="center")]
    spec.title = [Para(title, bold=True, size=15, align="center", space_before=10)]
    spec.body = [Para(text, size=13, indent=10, space_before=2)
                 for text in rng.sample(language.paragraphs, k=3)]  # fmt: skip
    if longer:  # no draw from ``rng``: the documents after this one stay the same
        spec.body += [Para(text, size=13, indent=10, space_before=2)
                      for text in MORE_PARAGRAPHS[code]]  # fmt: skip
    spec.signature = [
        Para(signer_title, bold=True, size=13, align="center", space_before=6),
        Para(signer, bold=True, size=13, align="center", space_before=20),
    ]
    spec.metadata = {
        "format": "other",
        "issuing_body": organisation,
        "issue_place": place,
        "issue_date": day.isoformat(),
        "title": title,
        "signer_name": signer,
        "signer_title": signer_title,
    }
    return spec
