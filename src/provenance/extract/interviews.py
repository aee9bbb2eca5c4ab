"""Interviews: the answers of a question-and-answer text are the interviewee's words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .mentions import EntityIndex
from .rules import Rule

INTERVIEWEE = Rule(
    r"\b(?:[Ww]e\s+(?:have\s+)?interviewed|[Ii]nterview(?:ed)?\s+with|spoke\s+(?:to|with)|"
    r"talked\s+(?:to|with)|[Ii]n\s+conversation\s+with)\s+"
    r"(?P<name>[A-Z][\w.’'-]+(?:\s+(?:al-|bin\s+|ibn\s+)?[A-Z][\w.’'-]+){1,3})",
    """Whom a question-and-answer text interviews, named before its first question: "We have
interviewed Michael Knights, analyst at …", "an interview with Lina Haddad".""",
)
_LINE = re.compile(r"[^\n]+")
MIN_QUESTIONS = 2  # one question in a text is rhetoric, not an interview


@dataclass(frozen=True)
class Interview:
    """Who answers, and the (start, end) of each answer's line in the text."""

    speaker: str
    answers: tuple[tuple[int, int], ...]

    def speaker_at(self, at: int) -> str | None:
        """The interviewee, when ``at`` is in one of the answers."""
        return self.speaker if any(a <= at < b for a, b in self.answers) else None


def read_interview(text: str, entities: EntityIndex) -> Interview | None:
    """The interview ``text`` is, if it names an interviewee and then asks questions each on
    a line of its own ("What is the role of …?") with the answers on the lines after them."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    questions = [i for i, (a, b) in enumerate(lines) if text[a:b].rstrip().endswith("?")]
    if len(questions) < MIN_QUESTIONS:
        return None
    first = lines[questions[0]][0]
    named = INTERVIEWEE.search(text, 0, first)
    if named is None:
        return None
    known = entities.mentions(text, named.start("name"), named.end("name"))
    if (known and known[0].kind != "person") or named.group("name").split()[0] == "The":
        return None  # "spoke to The Associated Press": a newspaper's source, not an interview
    speaker = known[0].name if known else named.group("name")
    asked = set(questions)
    answers = tuple(span for i, span in enumerate(lines) if i > questions[0] and i not in asked)
    return Interview(speaker, answers)
