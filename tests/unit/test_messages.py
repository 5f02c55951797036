from __future__ import annotations

from bot.messages import (
    Actions,
    Button,
    Context,
    Divider,
    Form,
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
        ),
        form=form,
        ephemeral=False,
    )
    assert message_from_dict(message_to_dict(message)) == message


def test_with_errors_keeps_what_was_typed() -> None:
    form = Form("f", "t", (Input("a", "A"), Input("b", "B", initial="old")))
    again = form.with_errors({"a": "fix me"}, {"a": "typed", "b": ""})
    assert [i.initial for i in again.inputs] == ["typed", "old"]
    assert again.errors == (("a", "fix me"),)
