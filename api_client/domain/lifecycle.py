"""The dossier life cycle (status codes toward the national portal) and its legal moves."""

from __future__ import annotations

from enum import IntEnum


class DossierStatus(IntEnum):
    """Status codes 1-10 of the domain brief."""

    SUBMITTED = 1  # mới đăng ký
    ACCEPTED = 2  # được tiếp nhận
    REFUSED = 3  # không được tiếp nhận
    PROCESSING = 4  # đang xử lý
    SUPPLEMENT_REQUESTED = 5  # yêu cầu bổ sung
    FEE_REQUESTED = 6  # yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # rút hồ sơ
    STOPPED = 8  # dừng xử lý
    RESULT_READY = 9  # đã xử lý xong
    RETURNED = 10  # đã trả kết quả


STATUS_LABELS_VI: dict[DossierStatus, str] = {
    DossierStatus.SUBMITTED: "Mới đăng ký",
    DossierStatus.ACCEPTED: "Đã tiếp nhận",
    DossierStatus.REFUSED: "Không được tiếp nhận",
    DossierStatus.PROCESSING: "Đang xử lý",
    DossierStatus.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
    DossierStatus.FEE_REQUESTED: "Chờ nộp phí",
    DossierStatus.WITHDRAWN: "Đã rút hồ sơ",
    DossierStatus.STOPPED: "Dừng xử lý",
    DossierStatus.RESULT_READY: "Đã có kết quả",
    DossierStatus.RETURNED: "Đã trả kết quả",
}

S = DossierStatus
# Why each edge exists: intake decides 1 -> 2/3/5; the desk processes 2/4; a supplement
# or a fee sends it back into processing; withdrawal is allowed until a result exists.
ALLOWED_MOVES: dict[DossierStatus, frozenset[DossierStatus]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REFUSED, S.SUPPLEMENT_REQUESTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FEE_REQUESTED, S.WITHDRAWN,
                           S.STOPPED, S.RESULT_READY}),
    S.REFUSED: frozenset(),
    S.PROCESSING: frozenset({S.SUPPLEMENT_REQUESTED, S.FEE_REQUESTED, S.STOPPED,
                             S.RESULT_READY, S.WITHDRAWN}),
    S.SUPPLEMENT_REQUESTED: frozenset({S.ACCEPTED, S.PROCESSING, S.REFUSED, S.WITHDRAWN}),
    S.FEE_REQUESTED: frozenset({S.PROCESSING, S.RESULT_READY, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
    S.STOPPED: frozenset(),
    S.RESULT_READY: frozenset({S.RETURNED}),
    S.RETURNED: frozenset(),
}


class IllegalMove(ValueError):
    """A status change that the life cycle does not allow."""


def check_move(current: DossierStatus | int, target: DossierStatus | int) -> DossierStatus:
    """Return the target status if current -> target is legal, else raise IllegalMove saying why."""
    cur, tgt = DossierStatus(current), DossierStatus(target)
    if tgt in ALLOWED_MOVES[cur]:
        return tgt
    allowed = ", ".join(f"{s.value} ({STATUS_LABELS_VI[s]})" for s in sorted(ALLOWED_MOVES[cur]))
    why = f"chỉ được chuyển sang: {allowed}" if allowed else "đây là trạng thái cuối"
    raise IllegalMove(
        f"Không thể chuyển hồ sơ từ {cur.value} ({STATUS_LABELS_VI[cur]}) sang {tgt.value} "
        f"({STATUS_LABELS_VI[tgt]}): {why}"
    )
