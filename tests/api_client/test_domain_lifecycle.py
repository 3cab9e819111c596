"""Dossier life-cycle moves."""

from __future__ import annotations

import pytest

from api_client.domain.lifecycle import ALLOWED_MOVES, DossierStatus, IllegalMove, check_move

S = DossierStatus
EVERY_ALLOWED = [(cur, tgt) for cur, targets in ALLOWED_MOVES.items() for tgt in sorted(targets)]


def test_the_table_has_the_expected_moves() -> None:
    assert len(EVERY_ALLOWED) == 4 + 6 + 5 + 4 + 3 + 1
    assert ALLOWED_MOVES[S.SUBMITTED] == {S.ACCEPTED, S.REFUSED, S.SUPPLEMENT_REQUESTED, S.WITHDRAWN}
    assert ALLOWED_MOVES[S.RESULT_READY] == {S.RETURNED}


@pytest.mark.parametrize(("cur", "tgt"), EVERY_ALLOWED)
def test_every_allowed_move_is_allowed(cur: DossierStatus, tgt: DossierStatus) -> None:
    assert check_move(cur, tgt) == tgt
    assert check_move(int(cur), int(tgt)) == tgt


@pytest.mark.parametrize(("cur", "tgt"), [
    (S.SUBMITTED, S.RESULT_READY), (S.SUBMITTED, S.RETURNED), (S.ACCEPTED, S.SUBMITTED),
    (S.PROCESSING, S.ACCEPTED), (S.RESULT_READY, S.PROCESSING), (S.FEE_REQUESTED, S.SUPPLEMENT_REQUESTED),
    (S.SUBMITTED, S.SUBMITTED),
])
def test_refused_moves_name_the_move_and_the_allowed_ones(cur: DossierStatus, tgt: DossierStatus) -> None:
    with pytest.raises(IllegalMove) as err:
        check_move(cur, tgt)
    msg = str(err.value)
    assert f"từ {cur.value}" in msg and f"sang {tgt.value}" in msg
    assert "chỉ được chuyển sang" in msg


@pytest.mark.parametrize("terminal", [S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED])
def test_terminal_states_allow_nothing(terminal: DossierStatus) -> None:
    for target in S:
        with pytest.raises(IllegalMove, match="trạng thái cuối"):
            check_move(terminal, target)


def test_unknown_codes_raise_value_error() -> None:
    with pytest.raises(ValueError):
        check_move(11, 1)
