"""Button payloads: what a screen packs is what a handler reads."""

from __future__ import annotations

import pytest

from bot.texts.callbacks import Act, Op


def test_a_button_packed_fast_reads_as_the_callback_data_it_stands_for() -> None:
    for seq, op, arg in ((0, Op.HOME, ""), (17, Op.PAGE, "1.intro"), (3, Op.ANSWER, "-1")):
        assert Act.packed(seq, op, arg) == Act(seq=seq, op=op, arg=arg).pack()
        assert Act.unpack(Act.packed(seq, op, arg)) == Act(seq=seq, op=op, arg=arg)
    with pytest.raises(ValueError):
        Act.packed(1, Op.PAGE, "a:b")
