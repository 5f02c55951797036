"""A synthetic school for the demo and the benchmarks: varied, plausible, and reproducible by seed."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

from adapters.console.session import console_user_id

FIRST = (
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Elif",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jamal",
    "Keiko",
    "Liam",
    "Maya",
    "Noor",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
    "Zoe",
    "Aleksander",
    "Bea",
    "Carlos",
    "Dana",
    "Emeka",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Jo",
)
LAST = (
    "Lopez",
    "Okafor",
    "Nguyen",
    "Smith",
    "Kowalski",
    "Haddad",
    "Tanaka",
    "Brown",
    "Silva",
    "Patel",
    "Murphy",
    "Schmidt",
    "Ali",
    "Johansson",
    "Rossi",
    "Kim",
    "Dubois",
    "Mensah",
    "Novak",
    "Garcia",
)
SUBJECTS = (
    "Maths",
    "English",
    "Science",
    "History",
    "Geography",
    "Art",
    "Music",
    "PE",
    "Computing",
    "French",
    "Spanish",
    "Biology",
    "Chemistry",
    "Physics",
    "Drama",
)
GRADES = ("K-2", "3-5", "6-8", "9-10", "11-12")
ZONES = ("Europe/London", "America/New_York", "America/Chicago")
SCHOOLS = ("Riverside Middle", "Hillcrest High", "Oakwood Academy")
GOALS = (
    "Improve classroom management",
    "Ask more open questions",
    "Differentiate for mixed ability",
    "Use formative assessment every lesson",
    "Build student engagement in group work",
    "Give feedback that students act on",
    "Plan lessons in less time",
    "Support EAL learners",
)
STRENGTHS = (
    "classroom management",
    "questioning",
    "differentiation",
    "assessment for learning",
    "engagement",
    "behaviour",
    "lesson planning",
    "edtech",
)


@dataclass
class Teacher:
    name: str
    email: str
    subjects: list[str]
    grades: list[str]
    years: int
    timezone: str
    school: str
    goals: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    language: str | None = None
    """Their Slack or Teams client's language (``es-ES``); None for the workspace's."""

    def profile_values(self) -> dict[str, str | list[str]]:
        return {
            "display_name": self.name,
            "subjects": ", ".join(self.subjects),
            "grade_bands": self.grades,
            "years_experience": str(self.years),
            "school": self.school,
            "timezone": self.timezone,
            "goals": "\n".join(self.goals),
            "strengths": ", ".join(self.strengths),
        }


@dataclass
class School:
    name: str
    coordinator: Teacher
    teachers: list[Teacher]
    goal_bank: tuple[str, ...] = GOALS


def make_teacher(rng: random.Random, used: set[str], zones: tuple[str, ...] = ZONES) -> Teacher:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used:
            used.add(name)
            break
        if len(used) >= len(FIRST) * len(LAST):
            name = f"{name} {len(used)}"
            used.add(name)
            break
    years = rng.choice((0, 1, 1, 2, 3, 4, 6, 8, 10, 12, 15, 20, 25))
    return Teacher(
        name=name,
        email=name.lower().replace(" ", ".") + "@district.example",
        subjects=rng.sample(SUBJECTS, k=rng.choice((1, 1, 2))),
        grades=sorted(rng.sample(GRADES, k=rng.choice((1, 2)))),
        years=years,
        timezone=rng.choice(zones),
        school=rng.choice(SCHOOLS),
        goals=rng.sample(GOALS, k=rng.choice((1, 2))),
        strengths=rng.sample(STRENGTHS, k=2) if years >= 5 else [],
    )


def make_school(size: int, rng: random.Random) -> School:
    used: set[str] = set()
    coordinator = Teacher(
        "Dr. Maya Patel",
        "maya.patel@district.example",
        ["Science"],
        ["6-8"],
        18,
        "Europe/London",
        SCHOOLS[0],
        [],
        ["coaching"],
    )
    used.add(coordinator.name)
    return School("Riverside District", coordinator, [make_teacher(rng, used) for _ in range(size)])


def roster_csv(teachers: list[Teacher], *, break_line: int | None = None) -> str:
    """The CSV a coordinator would export from a staff list; ``break_line`` plants a typo there."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # platform_user_id as a school exports it from Slack or Teams: here, the console's own ids.
    header = ["name", "email", "subjects", "grades", "years", "timezone", "role", "school"]
    writer.writerow([*header, "platform_user_id"])
    for line, t in enumerate(teachers, start=2):
        email = t.email.replace("@", " at ") if line == break_line else t.email
        writer.writerow(
            [
                t.name,
                email,
                "; ".join(t.subjects),
                "; ".join(t.grades),
                t.years,
                t.timezone,
                "teacher",
                t.school,
                console_user_id(t.name),
            ]
        )
    return buffer.getvalue()
