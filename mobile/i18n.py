"""UI strings: Vietnamese first (the officers' language), English as a switch."""

from __future__ import annotations

from collections.abc import Callable

VI, EN = "vi", "en"

# key -> (Vietnamese, English). Keep Vietnamese with full diacritics: officers read it all day.
STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Một cửa tận nhà", "Doorstep"),
    "language": ("Ngôn ngữ", "Language"),
    "switch_lang": ("English", "Tiếng Việt"),
    # login
    "login_title": ("Đăng nhập cán bộ", "Officer sign-in"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "login": ("Đăng nhập", "Sign in"),
    "login_hint": (
        "Đăng nhập một lần khi có mạng; sau đó dùng được khi mất mạng.",
        "Sign in once while online; afterwards the app works offline.",
    ),
    "err_empty_login": ("Vui lòng nhập tên đăng nhập và mật khẩu.", "Enter your username and password."),
    "err_bad_login": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "err_offline_login": (
        "Không kết nối được máy chủ. Lần đăng nhập đầu tiên cần có mạng.",
        "Cannot reach the server. The first sign-in needs a connection.",
    ),
    "err_server": ("Máy chủ đang lỗi, vui lòng thử lại sau.", "Server error, try again later."),
    "logging_in": ("Đang đăng nhập…", "Signing in…"),
    "logout": ("Đăng xuất", "Sign out"),
    "logout_warn": (
        "Còn {n} mục chưa đồng bộ sẽ bị MẤT nếu đăng xuất. Vẫn đăng xuất?",
        "{n} unsynced items will be LOST if you sign out. Sign out anyway?",
    ),
    "logout_confirm": ("Đăng xuất và xoá dữ liệu trên máy?", "Sign out and wipe local data?"),
    "cancel": ("Huỷ", "Cancel"),
    "ok": ("Đồng ý", "OK"),
    "session_expired": (
        "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.",
        "Your session expired, sign in again.",
    ),
    # route
    "today_route": ("Lộ trình hôm nay", "Today's route"),
    "search": ("Tìm tên, mã hồ sơ, số CCCD, địa chỉ", "Search name, dossier code, ID, address"),
    "all": ("Tất cả", "All"),
    "kind_pickup": ("Nhận hồ sơ", "Pickup"),
    "kind_delivery": ("Trả kết quả", "Delivery"),
    "status_planned": ("Chưa đi", "Planned"),
    "status_en_route": ("Đang đến", "On the way"),
    "status_completed": ("Đã xong", "Done"),
    "status_failed": ("Không thành công", "Failed"),
    "status_cancelled": ("Đã huỷ", "Cancelled"),
    "filter_kind": ("Loại", "Kind"),
    "filter_status": ("Trạng thái", "Status"),
    "list_view": ("Danh sách", "List"),
    "map_view": ("Bản đồ", "Map"),
    "n_visits": ("{n} lượt", "{n} visits"),
    "no_visits": ("Không có lượt nào phù hợp.", "No matching visits."),
    "due": ("Hạn", "Due"),
    "overdue": ("Quá hạn", "Overdue"),
    "distance_km": ("{d} km", "{d} km"),
    "no_coords": ("Chưa có toạ độ", "No coordinates"),
    "map_tiles_note": (
        "Nền bản đồ có thể không tải khi mất mạng; điểm và đường vẫn hiện.",
        "Map tiles may not load offline; markers and route still show.",
    ),
    "more": ("Xem thêm", "Show more"),
    "refresh_position": ("Cập nhật vị trí", "Update position"),
    # detail
    "visit_detail": ("Chi tiết lượt", "Visit detail"),
    "back": ("Quay lại", "Back"),
    "citizen": ("Công dân", "Citizen"),
    "address": ("Địa chỉ", "Address"),
    "phone": ("Điện thoại", "Phone"),
    "call": ("Gọi", "Call"),
    "open_maps": ("Mở bản đồ", "Open in maps"),
    "procedure": ("Thủ tục", "Procedure"),
    "documents": ("Giấy tờ", "Documents"),
    "dossier_code": ("Mã hồ sơ", "Dossier code"),
    "dossier_status": ("Trạng thái hồ sơ", "Dossier status"),
    "attempts": ("Số lần đã đến", "Attempts"),
    "history": ("Các lần đến trước", "Earlier attempts"),
    "no_history": ("Chưa có lần nào.", "None yet."),
    "start_pickup": ("Bắt đầu nhận hồ sơ", "Start pickup"),
    "resume_pickup": ("Tiếp tục nhận hồ sơ (bước {n})", "Resume pickup (step {n})"),
    "report_failed": ("Báo không thành công", "Report failed visit"),
    "shown_only": ("chỉ xuất trình", "shown only"),
    "optional": ("không bắt buộc", "optional"),
    "visit_closed": ("Lượt này đã kết thúc.", "This visit is closed."),
    # pickup steps
    "step_of": ("Bước {i}/{n}", "Step {i}/{n}"),
    "step_identify": ("Xác nhận công dân", "Identify citizen"),
    "step_checklist": ("Kiểm tra giấy tờ", "Document checklist"),
    "step_photos": ("Chụp giấy tờ", "Photograph documents"),
    "step_form": ("Tờ khai (viết hộ)", "Declaration form"),
    "step_fee": ("Lệ phí", "Fee"),
    "step_signature": ("Chữ ký", "Signature"),
    "step_gps": ("Vị trí GPS", "GPS position"),
    "step_receipt": ("Giấy tiếp nhận", "Receipt"),
    "next": ("Tiếp tục", "Next"),
    "prev": ("Quay lại bước trước", "Previous step"),
    "full_name": ("Họ và tên", "Full name"),
    "id_number": ("Số CCCD (12 số)", "Citizen ID (12 digits)"),
    "confirm_identity": ("Tôi đã đối chiếu giấy tờ tùy thân", "I checked the ID card"),
    "err_confirm_identity": (
        "Cần đánh dấu đã đối chiếu giấy tờ tùy thân.",
        "Tick that you checked the ID card.",
    ),
    "err_name": ("Họ tên không được để trống.", "Name is required."),
    "present": ("Có", "Present"),
    "missing_required": ("Thiếu giấy tờ bắt buộc: {docs}", "Missing required documents: {docs}"),
    "request_supplement": ("Yêu cầu bổ sung", "Request a supplement"),
    "supplement_note": ("Ghi chú những gì công dân cần bổ sung", "Note what the citizen must bring"),
    "proposed_date": ("Ngày hẹn lại (YYYY-MM-DD)", "Proposed date (YYYY-MM-DD)"),
    "send_supplement": ("Lưu yêu cầu bổ sung", "Save supplement request"),
    "supplement_saved": ("Đã lưu yêu cầu bổ sung.", "Supplement request saved."),
    "err_note": ("Cần ghi chú nội dung.", "A note is required."),
    "err_date": (
        "Ngày phải theo dạng YYYY-MM-DD và không ở quá khứ.",
        "Date must be YYYY-MM-DD and not in the past.",
    ),
    "take_photo": ("Chụp / chọn ảnh", "Take / pick photo"),
    "photo_ok": ("Đã có ảnh ({kb} KB)", "Photo attached ({kb} KB)"),
    "no_photo": ("Chưa có ảnh", "No photo yet"),
    "err_photos": (
        "Mỗi giấy tờ nộp cần một ảnh: còn thiếu {docs}",
        "Each collected document needs a photo: missing {docs}",
    ),
    "err_photo_bad": ("Không đọc được ảnh, vui lòng chụp lại.", "Cannot read the image, take it again."),
    "err_required": ("Bắt buộc", "Required"),
    "fee_amount": ("Lệ phí: {amount}", "Fee: {amount}"),
    "fee_free": ("Miễn lệ phí", "No fee"),
    "pages": ("Số trang", "Pages"),
    "sets": ("Số bộ hồ sơ", "Number of sets"),
    "pay_cash": ("Tiền mặt", "Cash"),
    "pay_transfer": ("Chuyển khoản", "Bank transfer"),
    "receipt_no": ("Số biên lai", "Receipt number"),
    "err_receipt_no": ("Cần nhập số biên lai.", "Receipt number is required."),
    "vietqr_hint": ("Quét mã để chuyển khoản ({bank} {account})", "Scan to pay ({bank} {account})"),
    "sign_here": ("Công dân ký vào ô dưới đây", "Citizen signs below"),
    "clear": ("Ký lại", "Clear"),
    "signed_strokes": ("Đã ký: {n} nét", "Signed: {n} strokes"),
    "not_signed": ("Chưa ký", "Not signed yet"),
    "officer_confirms": ("Cán bộ xác nhận đã nhận đủ hồ sơ", "Officer confirms the dossier was received"),
    "err_officer_confirm": ("Cán bộ cần xác nhận.", "The officer must confirm."),
    "gps_getting": ("Đang lấy vị trí…", "Getting position…"),
    "gps_retry": ("Lấy lại vị trí", "Retry GPS"),
    "gps_fix": (
        "Vị trí: {lat}, {lon} (sai số {acc} m, cách nhà {dist})",
        "Position: {lat}, {lon} (accuracy {acc} m, {dist} from home)",
    ),
    "gps_none": ("Không lấy được vị trí: {why}", "No GPS fix: {why}"),
    "gps_good": ("Vị trí đạt yêu cầu.", "Position is good."),
    "warn_no_fix": ("Không có vị trí GPS", "No GPS fix"),
    "warn_poor_accuracy": ("Sai số lớn hơn 50 m", "Accuracy worse than 50 m"),
    "warn_far_from_home": ("Cách nhà công dân hơn 300 m", "More than 300 m from the household"),
    "gps_reason": ("Lý do", "Reason"),
    "err_gps_reason": ("Vị trí không đạt: cần chọn lý do.", "Bad or missing position: pick a reason."),
    "reason_indoors": ("Trong nhà, sóng yếu", "Indoors, weak signal"),
    "reason_device_gps_weak": ("GPS điện thoại yếu", "Phone GPS is weak"),
    "reason_citizen_moved": ("Công dân đã chuyển chỗ ở", "Citizen moved"),
    "reason_met_elsewhere": ("Gặp công dân ở nơi khác", "Met the citizen elsewhere"),
    "reason_registered_location_wrong": ("Toạ độ đăng ký bị sai", "Registered location is wrong"),
    "reason_no_gps_permission": ("Không được cấp quyền vị trí", "No location permission"),
    "reason_other": ("Lý do khác", "Other"),
    "reason_note": ("Ghi chú lý do", "Reason note"),
    "complete": ("Hoàn tất tiếp nhận", "Complete pickup"),
    "completed": ("Đã tiếp nhận hồ sơ. Mã: {code}", "Dossier received. Code: {code}"),
    "receipt_title": ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment slip"),
    "appointment": ("Hẹn trả kết quả", "Result appointment"),
    "download_pdf": ("Tải giấy tiếp nhận (PDF)", "Download receipt (PDF)"),
    "pdf_saved": ("Đã lưu PDF: {path}", "PDF saved: {path}"),
    "back_to_route": ("Về lộ trình", "Back to route"),
    "err_fix_above": ("Vui lòng sửa các lỗi ở trên.", "Please fix the errors above."),
    # failed visit
    "failed_title": ("Báo lượt không thành công", "Report failed visit"),
    "fail_nobody_home": ("Không có ai ở nhà", "Nobody home"),
    "fail_missing_documents": ("Thiếu giấy tờ", "Missing documents"),
    "fail_refused": ("Công dân từ chối", "Refused"),
    "fail_wrong_address": ("Sai địa chỉ", "Wrong address"),
    "fail_other": ("Lý do khác", "Other"),
    "fail_note": ("Ghi chú", "Note"),
    "err_other_note": ("Lý do khác cần ghi chú.", "'Other' needs a note."),
    "err_pick_reason": ("Vui lòng chọn lý do.", "Pick a reason."),
    "save_failed": ("Lưu", "Save"),
    "failed_saved": ("Đã lưu. Lượt mới sẽ được lên lịch.", "Saved. A new visit will be planned."),
    # delivery (trả kết quả tại nhà)
    "start_delivery": ("Bắt đầu trả kết quả", "Start delivery"),
    "resume_delivery": ("Tiếp tục trả kết quả (bước {n})", "Resume delivery (step {n})"),
    "dstep_recipient": ("Người nhận kết quả", "Who receives"),
    "dstep_receipt_code": ("Mã trên giấy tiếp nhận", "Receipt slip code"),
    "dstep_handover": ("Trao kết quả", "Hand over the result"),
    "dstep_done": ("Hoàn tất", "Done"),
    "recipient_applicant": ("Người nộp hồ sơ", "The applicant"),
    "recipient_authorised": ("Người được ủy quyền", "An authorised person"),
    "applicant_hint": (
        "Đối chiếu CCCD của {name}: số phải trùng với hồ sơ.",
        "Check {name}'s ID card: the number must match the dossier.",
    ),
    "authorised_hint": (
        "Ghi họ tên, số CCCD, quan hệ và chụp giấy ủy quyền.",
        "Enter name, ID number, relationship and photograph the authorisation.",
    ),
    "recipient_name": ("Họ và tên người nhận", "Recipient's full name"),
    "relationship": ("Quan hệ với người nộp (vd: vợ, con)", "Relationship to the applicant"),
    "authorisation_photo": ("Ảnh giấy ủy quyền", "Photo of the authorisation paper"),
    "receipt_code": ("Mã hồ sơ trên giấy tiếp nhận", "Dossier code on the slip"),
    "receipt_code_hint": (
        "Nhập mã in trên giấy tiếp nhận của công dân, hoặc chụp mã QR trên giấy.",
        "Type the code printed on the citizen's slip, or photograph its QR code.",
    ),
    "scan_qr": ("Đọc mã QR từ ảnh", "Read the QR from a photo"),
    "qr_unavailable": (
        "Máy này chưa đọc được mã QR từ ảnh: vui lòng nhập mã.",
        "This device cannot read QR photos: type the code.",
    ),
    "delivery_stopped": (
        "Không giao kết quả khi mã không khớp. Kiểm tra lại giấy tiếp nhận hoặc báo không thành công.",
        "Do not hand over when the code does not match. Recheck the slip or report a failed visit.",
    ),
    "fee_none_owed": ("Không còn lệ phí phải nộp", "Nothing left to pay"),
    "fee_owed_hint": ("Lệ phí còn nợ khi nhận kết quả: {amount}", "Fee still owed at delivery: {amount}"),
    "hand_result": ("Trao cho người nhận: {doc}", "Hand over: {doc}"),
    "letter_reminder": (
        "Nhớ trao {letter} của UBND kèm theo kết quả.",
        "Remember to hand over the commune's letter ({letter}) with the result.",
    ),
    "letter_pdf": ("Tải {letter} (PDF)", "Download {letter} (PDF)"),
    "letter_handed": ("Đã trao {letter}", "{letter} handed over"),
    "err_letter_not_handed": (
        "Chưa xác nhận đã trao {letter}. Bấm «Tiếp tục» lần nữa nếu không trao được.",
        "The letter ({letter}) is not marked as handed. Press Next again if it could not be.",
    ),
    "handover_photo": ("Ảnh trao kết quả", "Handover photo"),
    "officer_confirms_delivery": (
        "Cán bộ xác nhận đã trao kết quả cho người nhận",
        "Officer confirms the result was handed over",
    ),
    "complete_delivery": ("Hoàn tất trả kết quả", "Complete delivery"),
    "delivered": ("Đã trả kết quả. Mã: {code}", "Result returned. Code: {code}"),
    "notice": ("Thông báo", "Notice"),
    # handovers and tracking log (bàn giao, phiếu kiểm soát)
    "handovers": ("Bàn giao", "Handovers"),
    "handover_out": ("Nhận kết quả từ bộ phận một cửa để đi trả", "Take results out from the desk"),
    "handover_in": ("Nộp hồ sơ đã nhận về bộ phận một cửa", "Bring collected dossiers to the desk"),
    "handover_none": ("Không có hồ sơ nào.", "No dossiers."),
    "handover_counterpart": ("Mã số cán bộ một cửa nhận/giao", "Desk officer's account number"),
    "handover_note": ("Ghi chú", "Note"),
    "handover_create": ("Ghi nhận bàn giao", "Record handover"),
    "handover_created": (
        "Đã ghi nhận bàn giao, chờ bên kia xác nhận.",
        "Handover recorded, awaiting the other side.",
    ),
    "handover_pick": ("Chọn ít nhất một hồ sơ.", "Select at least one dossier."),
    "handover_bad_counterpart": ("Nhập mã số cán bộ (số).", "Enter the officer's number."),
    "handover_offline": (
        "Bàn giao cần có mạng: hãy kết nối rồi thử lại. Hồ sơ vẫn do bạn giữ.",
        "Handovers need a connection: connect and try again. You still hold the dossiers.",
    ),
    "handover_pending": ("Chờ tôi xác nhận", "Awaiting my confirmation"),
    "handover_confirm": ("Xác nhận", "Confirm"),
    "handover_confirmed": ("Đã xác nhận bàn giao.", "Handover confirmed."),
    "handover_recent": ("Bàn giao gần đây", "Recent handovers"),
    "handover_row": (
        "{when}: {giver} → {receiver} ({n} hồ sơ)",
        "{when}: {giver} → {receiver} ({n} dossiers)",
    ),
    "handover_waiting": ("chưa đủ xác nhận", "not fully confirmed"),
    "tracking_log": ("Phiếu kiểm soát", "Tracking log"),
    "tracking_title": ("Phiếu kiểm soát quá trình giải quyết hồ sơ", "Dossier tracking log"),
    "tracking_row": ("{when} · {giver} → {receiver}", "{when} · {giver} → {receiver}"),
    "download_tracking_pdf": ("Tải PDF", "Download PDF"),
    "outcome_early": ("Sớm hạn", "Early"),
    "outcome_on_time": ("Đúng hạn", "On time"),
    "outcome_late": ("Trễ hạn", "Late"),
    "row_pickup": ("Nhận hồ sơ tại nhà", "Home pickup"),
    "row_handover": ("Bàn giao", "Handover"),
    "row_delivery": ("Trả kết quả tại nhà", "Home delivery"),
    "row_delivery_failed": ("Trả không thành công", "Failed delivery"),
    "needs_connection": (
        "Cần có mạng để xem mục này: hãy kết nối rồi thử lại.",
        "This needs a connection: connect and try again.",
    ),
    "loading": ("Đang tải…", "Loading…"),
    # sync bar
    "sync_now": ("Đồng bộ ngay", "Sync now"),
    "syncing": ("Đang đồng bộ…", "Syncing…"),
    "pending": ("Chờ gửi: {n}", "Pending: {n}"),
    "all_synced": ("Đã đồng bộ hết", "All synced"),
    "last_sync": ("Lần cuối: {t}", "Last sync: {t}"),
    "never_synced": ("Chưa đồng bộ lần nào", "Never synced"),
    "offline": (
        "Mất mạng: dữ liệu được lưu trên máy, sẽ gửi khi có mạng.",
        "Offline: data is kept on the phone and sent when online.",
    ),
    "sync_error": ("Lỗi đồng bộ: {msg}", "Sync error: {msg}"),
    "conflicts": ("Xung đột: {n}", "Conflicts: {n}"),
    "dead_letters": ("Bị từ chối: {n}", "Rejected: {n}"),
    "sync_ok": ("Đồng bộ xong: gửi {sent}, nhận {recv}.", "Synced: sent {sent}, received {recv}."),
    "conflicts_title": ("Xung đột cần xử lý", "Conflicts to resolve"),
    "keep_server": ("Theo máy chủ", "Keep server"),
    "retry_mine": ("Gửi lại", "Retry mine"),
    "discard": ("Bỏ", "Discard"),
    "close": ("Đóng", "Close"),
    "no_conflicts": ("Không có xung đột.", "No conflicts."),
    "unsynced_local": ("Chưa gửi", "Not sent yet"),
}


class Translator:
    """The current language and lookup; listeners re-render views when it changes."""

    def __init__(self, lang: str = VI) -> None:
        self.lang = lang if lang in (VI, EN) else VI
        self._listeners: list[Callable[[], None]] = []

    def t(self, key: str, **kwargs: object) -> str:
        """The string for `key` in the current language, formatted with kwargs."""
        pair = STRINGS.get(key)
        if pair is None:
            return key  # a missing key shows itself rather than crashing a field visit
        text = pair[0] if self.lang == VI else pair[1]
        return text.format(**kwargs) if kwargs else text

    def set_lang(self, lang: str) -> None:
        """Switch language and notify listeners."""
        if lang not in (VI, EN) or lang == self.lang:
            return
        self.lang = lang
        for cb in list(self._listeners):
            cb()

    def toggle(self) -> None:
        """Flip between Vietnamese and English."""
        self.set_lang(EN if self.lang == VI else VI)

    def subscribe(self, cb: Callable[[], None]) -> None:
        """Call `cb` after every language change."""
        self._listeners.append(cb)


def format_vnd(amount: int) -> str:
    """'20.000 ₫' (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " ₫"
