"""The kinds of fact extraction can suggest (concepts), and the properties they map onto.

A concept names the properties that mean it; the database's vocabulary decides which
one a candidate uses, and a missing one is proposed as a new property."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Property


@dataclass(frozen=True)
class Concept:
    """A kind of fact a rule can suggest, and the property names that mean it.

    The first of ``names`` that the database's vocabulary holds with the same datatype
    is used; when none is there, ``names[0]`` is suggested as a new property.
    """

    names: tuple[str, ...]
    datatype: str
    unit: str | None = None
    multi: bool = False
    time_varying: bool = False
    description: str = ""


CONCEPTS: dict[str, Concept] = {
    "date": Concept(
        ("date", "occurred_on", "happened_on"), "date", description="When an event happened."
    ),
    "birth_date": Concept(
        ("birth_date", "born", "date_of_birth"), "date", description="When a person was born."
    ),
    "death_date": Concept(
        ("death_date", "died", "date_of_death"), "date", description="When a person died."
    ),
    "founded": Concept(
        ("founded", "founded_on", "formed"), "date", description="When an organisation was formed."
    ),
    "publication_date": Concept(
        ("publication_date", "published_on"), "date", description="When a document was made public."
    ),
    "seats": Concept(
        ("seats", "seats_won"),
        "quantity",
        "seats",
        description="Parliamentary seats won or held; qualifier election.",
    ),
    "killed": Concept(
        ("killed", "deaths", "dead", "fatalities"),
        "quantity",
        "people",
        description="People killed in an event.",
    ),
    "wounded": Concept(
        ("wounded", "injured"), "quantity", "people", description="People wounded in an event."
    ),
    "kidnapped_and_killed": Concept(
        ("kidnapped_and_killed",),
        "quantity",
        "people",
        description="People abducted in an event and later killed.",
    ),
    "hostages": Concept(
        ("hostages", "kidnapped"),
        "quantity",
        "people",
        description="People taken hostage in an event.",
    ),
    "attackers": Concept(
        ("attackers",),
        "quantity",
        "people",
        description="Number of attackers who took part in an attack.",
    ),
    "missiles_fired": Concept(
        ("missiles_fired", "projectiles_fired"),
        "quantity",
        "missiles",
        description="Missiles fired in an attack.",
    ),
    "rockets_fired": Concept(
        ("rockets_fired", "projectiles_fired"),
        "quantity",
        "rockets",
        description="Rockets fired in an attack.",
    ),
    "drones_launched": Concept(
        ("drones_launched",),
        "quantity",
        "drones",
        description="Drones launched in an attack.",
    ),
    "shells_fired": Concept(
        ("shells_fired", "projectiles_fired"),
        "quantity",
        "shells",
        description="Mortar or artillery shells fired in an attack.",
    ),
    "people_released": Concept(
        ("people_released", "released_count"),
        "quantity",
        "people",
        description="Number of detainees released in an event.",
    ),
    "bodies_returned": Concept(
        ("bodies_returned",), "quantity", "people", description="Bodies returned."
    ),
    "times_interrogated": Concept(
        ("times_interrogated", "interrogated_times", "interrogations"),
        "quantity",
        "interrogations",
        description="How many times a detainee was interrogated.",
    ),
    "population": Concept(
        ("population",),
        "quantity",
        "people",
        time_varying=True,
        description="Number of people; qualifier group says who is counted.",
    ),
    "personnel": Concept(
        ("personnel", "headcount", "strength"),
        "quantity",
        "people",
        time_varying=True,
        description="Number of personnel of a mission or unit at a time.",
    ),
    "page_count": Concept(
        ("page_count", "pages"), "quantity", "pages", description="Number of pages of a document."
    ),
    "attack_rate": Concept(
        ("attack_rate",),
        "quantity",
        "attacks per day",
        time_varying=True,
        description="Attacks a group launches per day.",
    ),
    "territory_share": Concept(
        ("territory_share",),
        "quantity",
        "percent",
        time_varying=True,
        description="Share of a country's territory held, in per cent; qualifier of.",
    ),
    "share": Concept(
        ("share", "percentage"),
        "quantity",
        "percent",
        description="A share, in per cent; qualifier of says of what.",
    ),
    "funding_received": Concept(
        ("funding_received", "funding"),
        "quantity",
        "USD",
        description="Money the subject received; qualifiers from and period.",
    ),
    "budget": Concept(
        ("budget",),
        "quantity",
        None,
        time_varying=True,
        description="The budget allocated to the subject, in its currency; qualifier period.",
    ),
    "votes": Concept(
        ("votes", "votes_won"),
        "quantity",
        "votes",
        description="Votes won in an election; qualifier election.",
    ),
    "turnout": Concept(
        ("turnout",),
        "quantity",
        "percent",
        description="Share of voters who voted in an election, in per cent.",
    ),
    "cost": Concept(
        ("cost",),
        "quantity",
        "USD",
        description="A financial cost to the subject; qualifier period.",
    ),
    "monetary_value": Concept(
        ("monetary_value", "amount", "value_usd"),
        "quantity",
        "USD",
        description="The stated value of a deal, in U.S. dollars.",
    ),
    "duration": Concept(
        ("duration",),
        "quantity",
        "years",
        description="How long something lasted, in years; qualifier of says what.",
    ),
    "election_rank": Concept(
        ("election_rank",),
        "quantity",
        "rank",
        description="Place in an election (1 = most votes); qualifier election.",
    ),
    "count": Concept(
        ("count",),
        "quantity",
        "items",
        description=(
            "A count not covered by a specific property; qualifier of says what is counted."
        ),
    ),
    "leader": Concept(
        ("leader", "led_by", "head"),
        "entity",
        time_varying=True,
        description="The person heading an organisation at a time.",
    ),
    "carried_out_by": Concept(
        ("carried_out_by",), "entity", description="Who carried out an event (an attack)."
    ),
    "target": Concept(
        ("target",), "entity", multi=True, description="Who or what an attack targeted."
    ),
    "victims": Concept(
        ("victims",), "entity", multi=True, description="A person killed in an event."
    ),
    "location": Concept(("location",), "entity", description="Where an event happened."),
    "sibling": Concept(("sibling",), "entity", multi=True, description="A brother or sister."),
    "position": Concept(
        ("position", "role"),
        "text",
        multi=True,
        time_varying=True,
        description="A post a person holds, in the text's words.",
    ),
    "backed_by": Concept(
        ("backed_by", "supported_by"),
        "entity",
        multi=True,
        description="Who backs (funds, arms, supports) a group.",
    ),
    "trained_by": Concept(
        ("trained_by",), "entity", multi=True, description="Who trains a group's fighters."
    ),
    "member_of": Concept(
        ("member_of", "part_of"),
        "entity",
        multi=True,
        time_varying=True,
        description="An organisation, alliance or unit the subject belongs to.",
    ),
    "designated_by": Concept(
        ("designated_by",),
        "entity",
        multi=True,
        description="Who designated a group a terrorist organisation.",
    ),
    "sanctioned_by_us": Concept(
        ("sanctioned_by_us",),
        "boolean",
        description="Whether the United States has sanctioned the subject.",
    ),
    "accused_of": Concept(
        ("accused_of", "accusation"),
        "text",
        multi=True,
        description="What the subject is accused of; the accuser is attributed_to.",
    ),
    "demanded": Concept(
        ("demanded", "demands"), "text", multi=True, description="What the subject demands."
    ),
    "described_as": Concept(
        ("described_as", "called"),
        "text",
        multi=True,
        description="How the subject is described or called; who says so is attributed_to.",
    ),
    "stated_reason": Concept(
        ("stated_reason", "reason"),
        "text",
        description="Why an event happened, as the text or a speaker gives it.",
    ),
    "activity": Concept(
        ("activity", "activities"),
        "text",
        multi=True,
        description="What the subject does or has done, as its record.",
    ),
    "mission": Concept(
        ("mission", "mandate"), "text", description="What a mission or force is there to do."
    ),
    "statement": Concept(
        ("statement", "stated", "said"),
        "text",
        multi=True,
        description=(
            "What a speaker said about the subject, as quoted; the speaker is attributed_to."
        ),
    ),
}


@dataclass
class PropertyChoice:
    name: str
    datatype: str
    unit: str | None
    new: bool
    concept: Concept


class Vocabulary:
    """The database's properties, and the concepts mapped onto them."""

    def __init__(self, session: Session):
        self.properties = {p.name: p for p in session.scalars(select(Property))}
        self.chosen: dict[str, PropertyChoice] = {}

    def choose(self, concept_key: str) -> PropertyChoice:
        """The property a concept maps onto; a name no concept has is the database's own
        property of that name (titles and phrases read from the vocabulary itself)."""
        if concept_key in self.chosen:
            return self.chosen[concept_key]
        if concept_key not in CONCEPTS and concept_key in self.properties:
            own_prop = self.properties[concept_key]
            own = Concept(
                (own_prop.name,),
                own_prop.datatype,
                own_prop.unit,
                description=own_prop.description or "",
            )
            self.chosen[concept_key] = PropertyChoice(
                own_prop.name, own_prop.datatype, own_prop.unit, False, own
            )
            return self.chosen[concept_key]
        concept = CONCEPTS[concept_key]
        choice = None
        for name in concept.names:
            prop = self.properties.get(name)
            if prop is not None and prop.datatype == concept.datatype:
                choice = PropertyChoice(name, prop.datatype, prop.unit, False, concept)
                break
        if choice is None:
            name = concept.names[0]
            taken = self.properties.get(name)
            if taken is not None:  # the name is used with another datatype
                name = f"{name}_{concept.datatype}"
            choice = PropertyChoice(name, concept.datatype, concept.unit, True, concept)
        self.chosen[concept_key] = choice
        return choice

    def new_properties(self, used: Iterable[str]) -> list[PropertyChoice]:
        names = set(used)
        return [c for c in self.chosen.values() if c.new and c.name in names]
