"""A contact note typed as a coordinator would say it, in Swedish or English, and the hours
the case log counts from the notes."""

from __future__ import annotations

import pytest

from bot.domain.contact_notes import ContactKind, NoteError, NoteProblem, Party, hours, parse


@pytest.mark.parametrize(
    ("text", "kind", "minutes", "parties", "note", "next_step"),
    [
        (
            "coaching 45 min with employer, fk Talked about hours. Next: call Friday",
            ContactKind.COACHING, 45, (Party.PATIENT, Party.EMPLOYER, Party.FK),
            "Talked about hours.", "call Friday",
        ),
        (
            "Samordning 1h30 med chef,fhv Flerpartsmöte. Nästa steg: avstämning",
            ContactKind.COORDINATION, 90, (Party.PATIENT, Party.EMPLOYER, Party.OCCUPATIONAL),
            "Flerpartsmöte.", "avstämning",
        ),
        ("rutinsamtal 60", ContactKind.ROUTINE, 60, (Party.PATIENT,), "", ""),
        ("coachande 1,5 tim Sömn och vård av barn", ContactKind.COACHING, 90, (Party.PATIENT,),
         "Sömn och vård av barn", ""),
        ("överlämning 20 minuter med chef och af", ContactKind.HANDOVER, 20,
         (Party.PATIENT, Party.EMPLOYER, Party.AF), "", ""),
    ],
)  # fmt: skip
def test_a_note_reads_as_it_was_written(
    text: str, kind: ContactKind, minutes: int, parties: tuple[Party, ...], note: str,
    next_step: str,
) -> None:  # fmt: skip
    entry = parse(text)
    assert (entry.kind, entry.minutes, entry.participants) == (kind, minutes, parties)
    assert (entry.note, entry.next_step) == (note, next_step)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("pratade med chefen", NoteProblem.NO_KIND),
        ("", NoteProblem.NO_KIND),
        ("coaching länge", NoteProblem.NO_DURATION),
        ("coaching 9h", NoteProblem.TOO_LONG),
        ("coaching 0", NoteProblem.TOO_LONG),
    ],
)
def test_what_cannot_be_read_says_what_is_missing(text: str, problem: NoteProblem) -> None:
    with pytest.raises(NoteError) as raised:
        parse(text)
    assert raised.value.problem == problem


def test_coordination_counts_apart_and_contacts_are_the_case_logs_actors() -> None:
    total = hours(
        [
            ("coaching", 45, "patient,employer"),
            ("coordination", 90, "patient,fk,occupational,social"),
            ("routine", 60, "patient"),
        ]
    )
    assert (total.contacts, total.coaching_minutes, total.coordination_minutes) == (3, 105, 90)
    # Social services is the log's "other contacts established"; the patient is no actor.
    assert total.established == {Party.EMPLOYER, Party.FK, Party.OCCUPATIONAL, Party.SOCIAL}
