from __future__ import annotations

from bot.kernel.messages import (
    Actions,
    Attachment,
    Button,
    Context,
    Divider,
    Form,
    Image,
    Input,
    InputKind,
    Message,
    Option,
    Section,
    message_from_dict,
    message_to_dict,
)


def test_messages_round_trip_through_the_outbox_json() -> None:
    form = Form(
        "member.profile",
        "Your profile",
        (
            Input(
                "grades",
                "Grades",
                kind=InputKind.MULTISELECT,
                options=(Option("6-8", "6-8"),),
                initial=["6-8"],
            ),
            Input("years", "Years", kind=InputKind.NUMBER, min_value=0, max_value=60),
        ),
        state="edit",
        errors=(("years", "too many"),),
    )
    message = Message(
        text="Hello",
        blocks=(
            Section("Hi", fields=(("A", "1"),)),
            Context("small"),
            Divider(),
            Actions((Button("Go", "member.edit", "v", "primary"),)),
            Image("Response rate, 8 weeks", "iVBORw0KGgo="),
        ),
        form=form,
        ephemeral=False,
        attachments=(Attachment("lesson.ics", "text/calendar", "BEGIN:VCALENDAR"),),
    )
    assert message_from_dict(message_to_dict(message)) == message


def test_with_errors_keeps_what_was_typed() -> None:
    form = Form("f", "t", (Input("a", "A"), Input("b", "B", initial="old")))
    again = form.with_errors({"a": "fix me"}, {"a": "typed", "b": ""})
    assert [i.initial for i in again.inputs] == ["typed", "old"]
    assert again.errors == (("a", "fix me"),)


def test_console_shows_pictures_and_files_by_name() -> None:
    from adapters.console.render import render

    text, _ = render(
        Message(
            text="Digest",
            blocks=(Image("Trend chart", "AAAA"),),
            attachments=(Attachment("lesson.ics", "text/calendar", "BEGIN:VCALENDAR"),),
        )
    )
    assert "[picture: Trend chart]" in text
    assert "[file: lesson.ics]" in text
