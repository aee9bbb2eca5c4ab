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


_DENIAL = r"(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes|rebuffed)"
_REPORTING = (
    r"(?:said|says|told|tells|noted|notes|claimed|claims|admitted|admits|accused|accuses|"
    r"declared|declares|proclaimed|insisted|insists|announced|stated|added|adds|"
    r"argued|warned|indicated|disclosed|reported|confirmed|alleged|explained|described|"
    r"wrote|tweeted|emphasi[sz]ed|stressed|asserted|maintained|acknowledged|conceded|reads|"
    rf"laughed\s+and\s+said|{_DENIAL})(?!\s+by\b)"
)
REPORTING_VERB = Rule(
    rf"(?<!\bbe\s)(?<!\bbeen\s)(?<!\bbeing\s)(?<!\bis\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bare\s)"
    rf"\b(?P<verb>{_REPORTING})\b",
    """A speaker's verb: "Qayis said", "a political leader close to Iran told MEE",
"al-Khazali admitted", "the Pentagon said the next day", "Al-Sadr denies", "the group
rejected", "the ministry dismissed", "he insisted".""",
)
DENIAL_VERB = Rule(
    rf"(?i)^{_DENIAL}$",
    """A verb that makes its speaker deny what follows: "denied", "rejected", "dismissed",
"refuted".""",
)
SPEAKER_AFTER_VERB = Rule(
    r"^\s*(?P<speaker>(?:[\w.’'`-]+\s+){0,4}?(?:[A-Z][\w.’'`-]*\s*){1,6})"
    r"(?=\s*(?:[,.;:]|$|\s(?:on|in|at|during|after|before|to|from|who|according|when|while)\b))",
    """A speaker named after the verb, after a comma or a quotation: "…, said Pentagon
spokesman Jonathan Hoffman on Friday", "…,” said Air Force Lt. Col. Staci Coleman".""",
)
APPOSED_SPEAKER = Rule(
    r"(?:^|,\s*)(?P<speaker>(?:[A-Z][\w.’'`-]*|al-[\w’'`-]+|bin|ibn)"
    r"(?:\s+(?:[A-Z][\w.’'`-]*|al-[\w’'`-]+|bin|ibn)){0,4}),\s*$",
    """A speaker named between commas before the verb: "A spokesman for the coalition,
Myles Caggins, said".""",
)
SPEAKER_THEN_ROLE = Rule(
    r"^\s*(?P<speaker>[A-Z][\w.’'`-]*(?:\s+(?:[A-Z][\w.’'`-]*|al-[\w’'`-]+|bin|ibn)){1,4}),"
    r"\s+(?:an?|the|his|her|its)\s+[^,;“”\"]{2,90},\s*$",
    """A speaker named first and described after: "Jonathan Hoffman, the Assistant to the
Secretary of Defense for Public Affairs, said".""",
)
ROLE_BEFORE_NAME = Rule(
    r"^.*?\b[a-z][\w-]*\s+(?P<name>(?:[A-Z][\w’'`-]*|al-[\w’'`-]+)(?:\s+(?:[A-Z][\w’'`-]*"
    r"|al-[\w’'`-]+|bin|ibn)){1,3})\s*$",
    """A name after its role: "Pentagon spokesman Jonathan Hoffman", "the group's leader Qais
al-Khazali".""",
)
# what may follow "X said" when the fact came before it: "…, she said on Friday."
_TAIL = re.compile(
    r"(?i)^\s*(?:(?:on|in|at|late|early|last|this|during|to|told|in\s+a)\b[^,;:]{0,40}?)?\s*[.!?]?[”’\"')\]]*\s*$"
)
# what a that-clause or a denial's object is: the words after the verb, to the sentence's end
CONTENT = Rule(
    r"\s*(?:,\s*)?(?:(?:reports?|claims?|allegations?|accusations?|suggestions?|"
    r"speculation|rumou?rs?)\s+)?(?:that\s+)?(?P<content>[^“”\"]{8,}?)\s*[.!?]?\s*$",
    """What a speaker said or denied, without quotation marks: "said that the base had
not been damaged", "denied reports that 200 prisoners had escaped".""",
)
# a capital named as a speaker is its country's government: "Tehran said", "Moscow denied"
CAPITAL_CITIES = {
    "Tehran": "Iran", "Washington": "United States", "Baghdad": "Iraq", "Damascus": "Syria",
    "Moscow": "Russia", "Ankara": "Turkey", "Riyadh": "Saudi Arabia", "Beirut": "Lebanon",
    "Beijing": "China", "London": "United Kingdom", "Paris": "France", "Berlin": "Germany",
    "Cairo": "Egypt", "Amman": "Jordan", "Kabul": "Afghanistan", "Islamabad": "Pakistan",
}  # fmt: skip
TITLE_BEFORE_NAME = Rule(
    r"(?:(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,2}(?:Secretary|Minister|President|Spokes(?:man|woman)"
    r"|Ambassador|Envoy|Governor|Director|Chairman|Commander|Adviser|Advisor)"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'-]+(?:\s+Affairs)?)?|(?:[A-Z][\w.’'-]*\s+){0,2}"
    r"(?:spokes(?:man|woman|person)|minister|secretary|ambassador|envoy|official|commander))"
    r"\s+(?P<name>[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|Abu\s+)?[A-Z][\w’'-]+){1,3})",
    """A speaker written with a post before the name, which is the speaker: "Secretary of
State Mike Pompeo said", "Foreign Minister Ana Ruiz told reporters", "Pentagon spokesman
Jonathan Hoffman said".""",
)
ROLE_THEN_NAME = Rule(
    r"(?:the\s+|an?\s+)?(?:[a-z][\w-]*\s+){1,3}(?<!\bof\s)(?<!\bfor\s)(?<!\bat\s)(?<!\bin\s)"
    r"(?<!\bfrom\s)(?<!\bwith\s)(?<!\bto\s)(?<!\band\s)"
    r"(?P<name>[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|Abu\s+)?[A-Z][\w’'-]+){1,3})",
    """A speaker written with a role in common words before the name: "according to the
researcher Ana Ruiz", "the militia leader Tomas Vell said" (not "the head of Red Hand
Brigade", whose last words name a group).""",
)
LISTENER = Rule(
    r"\s*(?:the\s+)?(?:(?:[A-Z][\w.’'&-]*)(?:\s+[A-Z][\w.’'&-]*){0,3}|reporters|journalists|"
    r"(?:a|the)\s+(?:news\s+)?(?:agency|newspaper|channel|broadcaster|conference|briefing))"
    r"(?=\s*(?:[.,;!?]|on\b|in\b|at\b|during\b|late\b|early\b|last\b|this\b|$))",
    """Whom a speaker told, which is no subject of what was said: "…, a local official told
Reuters.", "…, the minister told reporters on Sunday".""",
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
# words that are never a speaker on their own: "and has claimed", "it was reported"
_NOT_SPEAKERS = {
    "has", "had", "have", "is", "was", "were", "are", "be", "been", "it", "this", "that",
    "which", "who", "also", "later", "then", "there", "what", "widely", "previously",
}  # fmt: skip

# a role that, after "the", means the person the text named last
_ROLES = {
    "leader", "commander", "spokesman", "spokeswoman", "spokesperson", "minister", "president",
    "official", "cleric", "general", "governor", "secretary", "ambassador", "envoy", "chief",
}  # fmt: skip

RELATIVE_CLAUSE = Rule(
    r",\s+(?:who|whose|which)\b|\b(?:airstrike|strike|attack|raid)\s+that\b|"
    r"\b[A-Z][\w’'-]+,\s+(?:the\s+|an?\s+)?(?:[A-Z][\w’'-]+\s+){0,4}[\w’'-]+['’]s\s+"
    r"(?:leader|head|chief)\b|\b(?:his|her)\s+(?:brother|sister)\b",
    """Words of the article inside a reported sentence: a relative clause ("…, who headed the
Quds Force", "an American airstrike that killed its commander") or an apposition ("Qais
al-Khazali, Asaib Ahl al-Haq's leader, and his brother Laith"): not what the speaker said.""",
)

Stretch = tuple[int, int, str, str]  # (start, end, speaker, stance) of attributed text


def stance_of(verb: str) -> str:
    return "denies" if DENIAL_VERB.match(verb) else "asserts"


def attributions(doc: Document, sentence: Sentence, mentions: list[Mention]) -> list[Stretch]:
    """(start, end, speaker, stance) of each attributed stretch of the sentence.

    "X said …": what follows the verb; "…, X said." and "…, said X on Friday.": what
    comes before it; "“…,” X said": the quotation; "according to X": the sentence. A
    pronoun ("he said") is the speaker of the sentence before, else the person named last.
    """
    out: list[Stretch] = []
    s, e = sentence.start, sentence.end
    part = doc.scan[s:e]
    for match in REPORTING_VERB.finditer(part):
        verb = match.group("verb")
        verb_at = s + match.start()
        verb_end = s + match.end()
        stance = stance_of(verb)
        left = doc.scan[s:verb_at]
        right = doc.scan[verb_end:e]
        if re.search(r"[,”\"]\s*$", left) and left.strip(' ,”"'):
            # inverted: "…, said Pentagon spokesman Jonathan Hoffman on Friday"
            named = SPEAKER_AFTER_VERB.match(right)
            if named:
                at = verb_end + named.start("speaker")
                words = named.group("speaker")
                role = ROLE_BEFORE_NAME.match(words)
                if role:  # "Pentagon spokesman Jonathan Hoffman": the name is the speaker
                    at, words = at + role.start("name"), role.group("name")
                speaker = clean_speaker(doc, words, mentions, at, at + len(words))
                if speaker is not None:
                    out.append((s, verb_at, speaker, stance))
                    continue
            # "A spokesman for the coalition, Myles Caggins, said that …"
            apposition = APPOSED_SPEAKER.search(left) or SPEAKER_THEN_ROLE.match(left)
            if apposition is None:
                continue
            at = s + apposition.start("speaker")
            speaker = clean_speaker(
                doc, apposition.group("speaker"), mentions, at, s + apposition.end("speaker")
            )
            if speaker is not None:
                out.append((verb_at, e, speaker, stance))
            continue
        speaker = speaker_before(doc, s, verb_at, mentions)
        if speaker is None:
            continue
        listener = LISTENER.match(right) if verb.lower() in ("told", "tells") else None
        if listener is not None:  # "…, a local official told Reuters.": Reuters only listened
            a, b = verb_end + listener.start(), verb_end + listener.end()
            doc.sentence_listeners.update(m.name for m in mentions if a <= m.start < b)
            right = right[listener.end() :]
        # a quotation ending just before ", X said" is what X said
        quote_before = doc.scan.rfind("”", s, verb_at)
        if quote_before >= 0 and verb_at - quote_before < 120:
            opening = doc.scan.rfind("“", s, quote_before)
            out.append((opening if opening >= 0 else s, quote_before + 1, speaker, stance))
            if _TAIL.match(right) and opening > s:
                # "Sixteen remained, and “have returned to duty,” he said.": all of it is his
                out.append((s, verb_at, speaker, stance))
        elif _TAIL.match(right) and re.search(r",\s*\S+(?:\s+\S+){0,8}\s*$", left):
            # "Twelve had returned to duty, she said."
            out.append((s, verb_at, speaker, stance))
            continue
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
    if not phrase or len(phrase.split()) > 9 or phrase.lower() in _NOT_SPEAKERS:
        return None
    country = CAPITAL_CITIES.get(phrase)
    if country is not None and doc.entities.knows(country):
        return country  # "Tehran said": the government, by its capital
    titled = TITLE_BEFORE_NAME.fullmatch(phrase) or ROLE_THEN_NAME.fullmatch(phrase)
    if titled is not None:
        phrase = titled.group("name")  # "Secretary of State Mike Pompeo": the person
    if phrase.split()[-1].lower() in PRONOUNS and len(phrase.split()) <= 3:
        phrase = phrase.split()[-1]  # "while smiling he told": he
    if phrase.lower() in PRONOUNS:
        if phrase.lower() in ("he", "she", "i"):  # a person, never the last thing named
            return doc.previous_speaker or doc.previous_person
        return doc.previous_speaker or doc.previous_person or doc.last_subject
    if re.fullmatch(r"[A-Z][\w’'`-]+", phrase):
        fuller = [p for p in doc.speakers if len(p.split()) > 1 and p.split()[-1] == phrase]
        if fuller:
            phrase = fuller[-1]  # "Hoffman said": Jonathan Hoffman, named before
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
            if (
                not earlier
                and phrase.lower().startswith("the ")
                and head in _ROLES
                and doc.previous_person
            ):
                speaker = doc.previous_person  # "the militia leader said": the one just named
    if not re.search(r"[A-Za-z]", speaker) or not normalise_name(speaker):
        return None
    doc.speakers.append(speaker)
    doc.sentence_speakers.add(speaker)
    return speaker


def attribution_for(stretches: list[Stretch], start: int) -> tuple[str, str] | None:
    holding = [x for x in stretches if x[0] <= start < x[1]]
    if not holding:
        return None
    best = max(holding, key=lambda x: x[0])
    return best[2], best[3]


def statements(
    doc: Document, sentence: Sentence, mentions: list[Mention], stretches: list[Stretch]
) -> None:
    """A ``statement`` candidate for each quotation with a speaker, and for each reported
    that-clause or denial without quotation marks ("X denied that its fighters…")."""
    quoted: list[tuple[int, int]] = []
    for m in QUOTATION.finditer(doc.scan, sentence.start, sentence.end):
        words = " ".join(m.group("words").split()).strip(" ,.")
        if len(words.split()) < 4:
            continue
        attribution = attribution_for(stretches, m.start()) or attribution_for(
            stretches, m.end() - 1
        )
        if attribution is None:
            continue
        quoted.append((m.start(), m.end()))
        # "said the group X and its leaders “are …”": the quotation is about X
        lead_in = [
            x
            for x in mentions
            if _reporting_before(doc, sentence.start, x.start)
            and x.end <= m.start()
            and m.start() - x.end < 60
            and normalise_name(x.name) != normalise_name(attribution[0])
        ]
        _statement(
            doc,
            sentence,
            m.start(),
            m.end(),
            words,
            mentions,
            attribution,
            "quoted",
            about=lead_in[0].name if lead_in else None,
        )
    for start, end, speaker, stance in stretches:
        verb = REPORTING_VERB.match(doc.scan, start, end)
        if verb is None or end != sentence.end:
            continue  # only "X said …": the words after the verb are what was said
        reported = _reported(doc.scan[verb.end() : end], verb.group("verb"), stance)
        if reported is None:
            continue
        at, until = verb.end() + reported[0], verb.end() + reported[1]
        words = " ".join(doc.scan[at:until].split()).strip(" ,.")
        if len(words.split()) < 4 or any(a < until and at < b for a, b in quoted):
            continue
        _statement(doc, sentence, at, until, words, mentions, (speaker, stance), "reported")


# verbs whose words after them are what was said, "that" or not ("said there were no deaths")
_SAYING = re.compile(
    r"(?i)^(?:said|says|added|adds|stated|claimed|claims|insisted|insists|warned|argued|"
    r"confirmed|alleged|admitted|admits|acknowledged|conceded|declared|stressed|asserted)$"
)
_FINITE_VERB = re.compile(
    r"(?i)\b(?:is|are|was|were|had|has|have|will|would|could|can|did|do|does|should|must|"
    r"may|might|\w+ed|took|fled|made|gave|left|came|began|saw|kept|held|lost|won|led|fought|"
    r"shot|hit|went|sent|built|paid|told|said|knew|met|ran|stood|became|remains|wants|plans|"
    r"intends|continues|seeks|aims|needs)\b"
)
_NOT_A_CLAUSE_START = re.compile(
    r"(?i)^(?:had|has|have|was|were|is|are|be|been|will|would|according|to|of|by|for|as)\b"
)
_CLAUSE_END = re.compile(r"(?i),\s+(?:but|while|whereas|although|though)\b|;|\s[—–]\s")


def _reported(after: str, verb: str, stance: str) -> tuple[int, int] | None:
    """Where, in the words after a reporting verb, is what was said (or denied)."""
    rest = _after_adverbials(after)
    offset = len(after) - len(rest)
    if re.match(r"\s*[,“\"]", rest):
        return None  # a quotation or an aside follows: the quotation is the statement
    that = re.match(r"(?i)\s*(?:(?:\w+\s+){0,3}?)?that\s+", rest)
    if stance == "denies":
        content = CONTENT.match(rest)
    elif that and (_SAYING.match(verb) or verb.lower().startswith(("told", "tell", "not"))):
        content = CONTENT.match(rest, that.end())
    elif _SAYING.match(verb):
        content = CONTENT.match(rest)
    else:
        return None
    if content is None:
        return None
    start, end = content.span("content")
    words = rest[start:end]
    cut = _CLAUSE_END.search(words)
    if cut:
        end = start + cut.start()
        words = rest[start:end]
    if _NOT_A_CLAUSE_START.match(words) or (stance != "denies" and not _FINITE_VERB.search(words)):
        return None
    return offset + start, offset + end


def _reporting_before(doc: Document, sentence_start: int, at: int) -> bool:
    """Whether a reporting verb stands between the sentence's start and ``at``."""
    return REPORTING_VERB.search(doc.scan, sentence_start, at) is not None


_ADVERBIALS = re.compile(
    r"(?i)^\s*(?:(?:on|in|at|late|early|last|this|during)\s+(?:a\s+|an\s+|the\s+)?"
    r"[\w-]+(?:\s+(?:morning|evening|night|afternoon|statement|interview|conference))?,?\s*)+"
)


def _after_adverbials(text: str) -> str:
    """The words after a reporting verb without "on Friday" or "in a statement"."""
    return _ADVERBIALS.sub("", text, count=1)


def _statement(
    doc: Document,
    sentence: Sentence,
    start: int,
    end: int,
    words: str,
    mentions: list[Mention],
    attribution: tuple[str, str],
    how: str,
    *,
    about: str | None = None,
) -> None:
    speaker, stance = attribution
    inside = [
        x
        for x in mentions
        if start <= x.start < end and normalise_name(x.name) != normalise_name(speaker)
    ]
    subject = about or (inside[0].name if inside else speaker)
    if re.match(r"(?i)(?:it|we|i|he|she)\b", words):
        subject = speaker  # "Tehran said it fired the missiles": about the speaker
    doc.add(
        "statement",
        sentence,
        start,
        end,
        "statement",
        words,
        subject=subject,
        why=f"attribution: {how} words of {speaker}"
        + (" (a denial)" if stance == "denies" else ""),
        attribution=attribution,
    )
