"""Who said what: reporting verbs ("X said", "told", "denied"), "according to", and quotations."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..values import normalise_name
from .mentions import Mention
from .rules import Rule
from .sentences import Sentence
from .subjects import PRONOUNS

if TYPE_CHECKING:
    from .document import Document


_REPORTING = (
    r"(?:said|says|told|tells|noted|notes|claimed|claims|admitted|admits|accused|accuses|"
    r"denied|denies|declared|declares|proclaimed|insisted|insists|announced|stated|added|"
    r"argued|warned|indicated|disclosed|reported|confirmed|alleged|explained|described|"
    r"wrote|tweeted|emphasi[sz]ed|acknowledged|conceded|reads|"
    r"laughed\s+and\s+said)(?!\s+by\b)"
)
REPORTING_VERB = Rule(
    rf"\b(?P<verb>{_REPORTING})\b",
    """A speaker's verb: "Qayis said", "a political leader close to Iran told MEE",
"al-Khazali admitted", "the Pentagon said the next day", "Al-Sadr denies".""",
)
ACCORDING_TO = Rule(
    r"(?i)\baccording\s+to\s+(?P<speaker>[^,.;:”\"]{2,80}?)(?=[,.;:”\"]|$)",
    """A speaker named after the fact: "according to one interrogation summary".""",
)
QUOTATION = Rule(
    r"[“\"](?P<words>[^“”\"]{12,}?)[”\"]",
    """Words in quotation marks: “The ultimate goal of Iran is to destroy the Americans”.""",
)
_SPEAKER_CUT = re.compile(r"(?i)^(?:and|but|while|whereas|as|then|also|yet|so|when|where)\s+")
_ARTICLE = re.compile(r"(?i)^(?:the|a|an)\s+")


def attributions(
    doc: Document, sentence: Sentence, mentions: list[Mention]
) -> list[tuple[int, int, str, str]]:
    """(start, end, speaker, stance) of each attributed stretch of the sentence."""
    out = []
    s, e = sentence.start, sentence.end
    part = doc.scan[s:e]
    for match in REPORTING_VERB.finditer(part):
        verb = match.group("verb")
        verb_at = s + match.start()
        speaker = speaker_before(doc, s, verb_at, mentions)
        if speaker is None:
            continue
        stance = "denies" if verb.startswith("deni") else "asserts"
        # a quotation ending just before ", X said" is what X said
        quote_before = doc.scan.rfind("”", s, verb_at)
        begin = s
        if quote_before >= 0 and verb_at - quote_before < 120:
            opening = doc.scan.rfind("“", s, quote_before)
            begin = opening if opening >= 0 else s
            out.append((begin, quote_before + 1, speaker, stance))
        out.append((verb_at, e, speaker, stance))
    for match in ACCORDING_TO.finditer(part):
        speaker = clean_speaker(
            doc,
            match.group("speaker"),
            mentions,
            s + match.start("speaker"),
            s + match.end("speaker"),
        )
        if speaker:
            out.append((s, e, speaker, "asserts"))
    return out


def speaker_before(
    doc: Document, sentence_start: int, verb_at: int, mentions: list[Mention]
) -> str | None:
    left = doc.scan[sentence_start:verb_at]
    cut = max(
        left.rfind(","),
        left.rfind("”"),
        left.rfind('"'),
        left.rfind(";"),
        left.rfind("—"),
        left.rfind(" that "),
    )
    phrase_start = sentence_start + cut + 1 if cut >= 0 else sentence_start
    if left[cut : cut + 6] == " that ":
        phrase_start = sentence_start + cut + 6
    phrase = doc.scan[phrase_start:verb_at].strip()
    return clean_speaker(doc, phrase, mentions, phrase_start, verb_at)


def clean_speaker(
    doc: Document, phrase: str, mentions: list[Mention], at: int, until: int
) -> str | None:
    phrase = " ".join(phrase.split()).strip(" ,.“”\"'")
    phrase = _SPEAKER_CUT.sub("", phrase)
    phrase = re.sub(
        r"(?i)\s+(?:also|then|later|reportedly|had|has|have|once|further|even|publicly|repeatedly)$",
        "",
        phrase,
    )
    phrase = re.sub(
        r"(?i)\s+(?:also|then|later|reportedly|had|has|have|once|further|even|publicly|repeatedly)$",
        "",
        phrase,
    )
    if not phrase or len(phrase.split()) > 9:
        return None
    if phrase.lower() in PRONOUNS:
        return doc.previous_speaker or doc.previous_person or doc.last_subject
    inside = [m for m in mentions if at <= m.start and m.end <= until]
    if inside and len(phrase.split()) <= len(inside[-1].name.split()) + 2:
        speaker = inside[-1].name
    else:
        speaker = phrase
        if _ARTICLE.match(phrase):
            head = phrase.split()[-1].lower()
            earlier = [
                p
                for p in doc.speakers
                if p.split()[-1].lower() == head or head in p.lower().split()
            ]
            speaker = (
                earlier[-1]
                if earlier and phrase.lower().startswith("the ")
                else _ARTICLE.sub("", phrase)
            )
    if not re.search(r"[A-Za-z]", speaker) or not normalise_name(speaker):
        return None
    doc.speakers.append(speaker)
    doc.sentence_speakers.add(speaker)
    return speaker


def attribution_for(
    stretches: list[tuple[int, int, str, str]], start: int
) -> tuple[str, str] | None:
    holding = [x for x in stretches if x[0] <= start < x[1]]
    if not holding:
        return None
    best = max(holding, key=lambda x: x[0])
    return best[2], best[3]


def statements(doc: Document, sentence: Sentence, mentions: list[Mention], stretches) -> None:
    for m in QUOTATION.finditer(doc.scan, sentence.start, sentence.end):
        words = " ".join(m.group("words").split()).strip(" ,.")
        if len(words.split()) < 4:
            continue
        attribution = attribution_for(stretches, m.start()) or attribution_for(
            stretches, m.end() - 1
        )
        if attribution is None:
            continue
        speaker, stance = attribution
        about = [
            x
            for x in mentions
            if m.start() <= x.start < m.end() and normalise_name(x.name) != normalise_name(speaker)
        ]
        subject = about[0].name if about else speaker
        doc.add(
            "attribution",
            sentence,
            m.start(),
            m.end(),
            "statement",
            words,
            subject=subject,
            why=f"attribution: quoted words of {speaker}",
            attribution=(speaker, stance),
        )
