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
    "login_unlock": (
        "Dữ liệu trên máy được mã hóa: nhập mật khẩu để mở (dùng được cả khi mất mạng).",
        "The data on this phone is encrypted: enter your password to open it (works offline too).",
    ),
    "remote_wiped": (
        "Giám sát đã yêu cầu xóa dữ liệu trên máy này: dữ liệu đã được gửi rồi xóa.",
        "A supervisor ordered this phone wiped: its data was sent, then erased.",
    ),
    "err_other_officer": (
        "Máy còn công việc chưa gửi của cán bộ khác: cán bộ đó cần đăng nhập và đồng bộ trước.",
        "This phone holds another officer's unsent work: that officer must sign in and sync first.",
    ),
    "err_old_password": (
        "Mật khẩu đã đổi nhưng máy còn công việc chưa gửi: hãy nhập mật khẩu cũ để mở và gửi.",
        "Your password changed but unsent work remains: enter the old password to open and send it.",
    ),
    "err_server": ("Máy chủ đang lỗi, vui lòng thử lại sau.", "Server error, try again later."),
    # first-run setup: which server this phone talks to (issue 8)
    "setup_title": ("Cài đặt máy chủ", "Server setup"),
    "setup_hint": (
        "Nhập địa chỉ máy chủ, hoặc dán nội dung mã QR cấp phát hiện trên màn hình của lãnh đạo "
        "bộ phận một cửa.",
        "Type the server address, or paste the text of the provisioning QR shown on the supervisor's screen.",
    ),
    "setup_field": ("Địa chỉ máy chủ hoặc mã cấp phát", "Server address or provisioning code"),
    "setup_save": ("Lưu và kết nối", "Save and connect"),
    "setup_scan": ("Chụp mã QR cấp phát", "Photograph the provisioning QR"),
    "setup_no_scanner": (
        "Máy này không đọc được ảnh mã QR: hãy nhập hoặc dán nội dung mã.",
        "This device cannot read QR photos: type or paste the code's text.",
    ),
    "setup_qr_unreadable": ("Không đọc được mã QR trong ảnh, vui lòng chụp lại.", "No QR in the photo."),
    "setup_saved": ("Đã lưu máy chủ {server}.", "Server {server} saved."),
    "setup_current": ("Máy chủ hiện tại: {server}", "Current server: {server}"),
    "setup_unit": ("Đơn vị: {unit}", "Unit: {unit}"),
    "setup_change": ("Đổi máy chủ", "Change server"),
    "setup_err_empty": ("Vui lòng nhập địa chỉ máy chủ.", "Enter the server address."),
    "setup_err_bad_scheme": (
        "Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://.",
        "The address must start with http:// or https://.",
    ),
    "setup_err_no_host": ("Địa chỉ máy chủ thiếu tên máy.", "The address has no host name."),
    "setup_err_bad_host": ("Tên máy chủ không hợp lệ.", "The host name is not valid."),
    "setup_err_bad_port": ("Cổng máy chủ không hợp lệ.", "The port is not valid."),
    "setup_err_has_query": (
        "Địa chỉ máy chủ không được chứa ?, # hay tên đăng nhập.",
        "The address must not contain ?, # or credentials.",
    ),
    "setup_err_bad_payload": ("Mã cấp phát không đúng định dạng.", "The provisioning code is malformed."),
    "setup_err_bad_unit": ("Mã đơn vị trong mã cấp phát không hợp lệ.", "The unit code is not valid."),
    "setup_err_unreachable": (
        "Không kết nối được máy chủ: kiểm tra địa chỉ và mạng rồi thử lại.",
        "Cannot reach the server: check the address and the connection.",
    ),
    "setup_err_not_doorstep": (
        "Địa chỉ này không phải máy chủ Một cửa tận nhà.",
        "This address is not a Doorstep server.",
    ),
    "setup_err_unsynced": (
        "Còn dữ liệu chưa gửi lên máy chủ cũ: hãy đồng bộ trước khi đổi máy chủ.",
        "Unsent data for the old server: sync before changing server.",
    ),
    "setup_err_logged_in": ("Hãy đăng xuất trước khi đổi máy chủ.", "Log out before changing server."),
    "setup_err_preset": ("Máy chủ đã được cài sẵn, không đổi được.", "The server is preset here."),
    # the supervisor's provisioning QR
    "provision_title": ("Cài đặt điện thoại mới", "Set up a new phone"),
    "provision_hint": (
        "Trên điện thoại mới, mở ứng dụng và chụp mã này (hoặc nhập nội dung bên dưới) ở màn hình "
        "“Cài đặt máy chủ”.",
        "On the new phone, open the app and photograph this code (or type the text below) on the "
        "“Server setup” screen.",
    ),
    "provision_show": ("Mã cấp phát điện thoại", "Phone provisioning QR"),
    "provision_copy": ("Sao chép nội dung", "Copy the text"),
    "provision_copied": ("Đã sao chép.", "Copied."),
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
    "route_eta": ("Dự kiến {eta}", "ETA {eta}"),
    "loc_src_imported": ("vị trí theo hồ sơ nhập", "location from the import"),
    "loc_src_geocoded": ("vị trí tìm theo địa chỉ", "location found from the address"),
    "loc_src_hamlet_centre": ("tâm ấp, chưa rõ nhà", "hamlet centre, house unknown"),
    "loc_src_visit": ("ghi nhận khi đến nhà", "recorded at a visit"),
    "loc_src_supervisor": ("giám sát đã đặt", "set by a supervisor"),
    "loc_approximate": ("gần đúng", "approximate"),
    "loc_exact": ("chính xác", "exact"),
    "window_label": ("Hẹn {start}–{end}", "Window {start}–{end}"),
    "window_missed": (
        "Không kịp giờ hẹn {start}–{end}: dự kiến đến {eta}, trễ {m} phút",
        "Misses the {start}–{end} appointment: arrives {eta}, {m} min late",
    ),
    "route_window_warnings": (
        "{n} lượt không kịp giờ hẹn — hãy gọi trước cho người dân",
        "{n} visits will miss their appointment window: call the citizens ahead",
    ),
    "map_tiles_note": (
        "Nền bản đồ có thể không tải khi mất mạng; điểm và đường vẫn hiện.",
        "Map tiles may not load offline; markers and route still show.",
    ),
    "more": ("Xem thêm", "Show more"),
    "refresh_position": ("Cập nhật vị trí", "Update position"),
    # duty tracking (route header)
    "duty_start": ("Bắt đầu ca", "Start duty"),
    "duty_end": ("Kết thúc ca", "End duty"),
    "duty_recording": ("Đang ghi vị trí · {n} điểm chờ gửi", "Recording location · {n} points to send"),
    "duty_off": ("Ngoài ca: không ghi vị trí", "Off duty: location not recorded"),
    "duty_off_pending": (
        "Ngoài ca · {n} điểm chờ gửi", "Off duty · {n} points to send"
    ),
    "duty_gps_problem": ("Không lấy được vị trí: {msg}", "No location: {msg}"),
    "duty_poor_fix": (
        "Tín hiệu GPS yếu (±{m} m): chưa ghi điểm này", "Weak GPS signal (±{m} m): point not recorded"
    ),
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
    "proposed_date": ("Ngày hẹn lại", "Proposed date"),
    "send_supplement": ("Lưu yêu cầu bổ sung", "Save supplement request"),
    "supplement_saved": ("Đã lưu yêu cầu bổ sung.", "Supplement request saved."),
    "err_note": ("Cần ghi chú nội dung.", "A note is required."),
    "err_date": (
        "Ngày phải theo dạng DD/MM/YYYY và không ở quá khứ.",
        "The date must be DD/MM/YYYY and not in the past.",
    ),
    "take_photo": ("Chụp / chọn ảnh", "Take / pick photo"),
    "photo_ok": ("Đã có ảnh ({kb} KB)", "Photo attached ({kb} KB)"),
    "no_photo": ("Chưa có ảnh", "No photo yet"),
    "err_photos": (
        "Mỗi giấy tờ nộp cần một ảnh: còn thiếu {docs}",
        "Each collected document needs a photo: missing {docs}",
    ),
    "err_photo_bad": ("Không đọc được ảnh, vui lòng chụp lại.", "Cannot read the image, take it again."),
    "err_required": ("Bắt buộc nhập.", "Required."),
    "fee_amount": ("Lệ phí: {amount}", "Fee: {amount}"),
    "fee_free": ("Miễn lệ phí", "No fee"),
    "pages": ("Số trang", "Pages"),
    "sets": ("Số bộ hồ sơ", "Number of sets"),
    "pay_cash": ("Tiền mặt", "Cash"),
    "pay_transfer": ("Chuyển khoản", "Bank transfer"),
    "receipt_no": ("Số biên lai", "Receipt number"),
    "err_receipt_no": ("Cần nhập số biên lai.", "Receipt number is required."),
    "vietqr_hint": ("Quét mã để chuyển khoản ({bank} {account})", "Scan to pay ({bank} {account})"),
    "fee_cash_only": (
        "Đơn vị chưa có tài khoản nhận chuyển khoản: chỉ thu tiền mặt.",
        "This unit has no account for transfers: cash only.",
    ),
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
    "problem_visit_cancelled": (
        "Lịch hẹn đã bị hủy khi máy đang ngoại tuyến",
        "The visit was cancelled while the phone was offline",
    ),
    "problem_visit_reassigned": (
        "Lịch hẹn đã được giao cho cán bộ khác",
        "The visit went to another officer",
    ),
    "problem_visit_taken_away": ("Lịch hẹn không còn giao cho bạn", "The visit is no longer yours"),
    "problem_photo_lost": (
        "Tệp ảnh trên máy bị mất, cần chụp lại",
        "A photo file is missing on the phone: take it again",
    ),
    "gps_err_other": ("Lỗi GPS: {detail}", "GPS error: {detail}"),
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
    "save_failed": ("Lưu lượt không thành công", "Save the failed visit"),
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
    "handover_counterpart": ("Cán bộ một cửa nhận/giao", "Desk officer"),
    "handover_field_officer": ("Cán bộ hiện trường nhận/giao", "Field officer"),
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
    # supervisor screens
    "nav_board": ("Bảng theo dõi", "Live board"),
    "nav_at_risk": ("Hồ sơ cần chú ý", "Dossiers at risk"),
    "nav_indicators": ("Chỉ số", "Indicators"),
    "role_hamlet_officer": ("Cán bộ ấp", "Hamlet officer"),
    "role_postal_worker": ("Nhân viên bưu điện", "Postal worker"),
    "role_supervisor": ("Giám sát", "Supervisor"),
    "sup_refresh": ("Làm mới", "Refresh"),
    "sup_offline": (
        "Không kết nối được máy chủ. Màn hình giám sát cần có mạng: kiểm tra kết nối rồi bấm Làm mới.",
        "Cannot reach the server. Supervision needs a connection: check it, then press Refresh.",
    ),
    "sup_offline_cached": (
        "Mất kết nối máy chủ: đang hiện dữ liệu tải lúc {at}. Màn hình giám sát cần có mạng.",
        "Lost the server: showing data loaded at {at}. Supervision needs a connection.",
    ),
    "sup_updated": ("Cập nhật lúc {at} · tự làm mới mỗi {s} giây", "Updated at {at} · refreshes every {s} s"),
    "sup_summary": (
        "Hôm nay: {total} lượt · {done} xong · {failed} không thành công · {planned} chưa xong · "
        "{unassigned} chưa giao",
        "Today: {total} visits · {done} done · {failed} failed · {planned} open · {unassigned} unassigned",
    ),
    "sup_officers": ("Cán bộ", "Officers"),
    "sup_no_officers": ("Không có cán bộ nào trong đơn vị.", "No officers in your units."),
    "sup_no_position": ("chưa có vị trí", "no position yet"),
    "sup_age_now": ("vừa xong", "just now"),
    "sup_age_min": ("{n} phút trước", "{n} min ago"),
    "sup_age_hour": ("{n} giờ trước", "{n} h ago"),
    "sup_age_day": ("{n} ngày trước", "{n} days ago"),
    "sup_last_seen": ("Vị trí cuối", "Last seen"),
    "sup_on_duty": ("đang làm nhiệm vụ", "on duty"),
    "sup_off_duty": ("nghỉ", "off duty"),
    "sup_duty_unknown": ("chưa báo ca", "duty not reported"),
    "sup_counts": (
        "{total} lượt · {done} xong · {failed} không thành công · {left} còn lại",
        "{total} visits · {done} done · {failed} failed · {left} left",
    ),
    "sup_show_track": ("Xem đường đi", "Show track"),
    "sup_hide_track": ("Ẩn đường đi", "Hide track"),
    "sup_officer_day": ("Ngày làm việc", "Day detail"),
    "sup_pick_officer": (
        "Chọn \"Xem đường đi\" ở một cán bộ để so đường đi thực tế với lộ trình dự kiến.",
        "Press \"Show track\" on an officer to compare the actual track with the planned route.",
    ),
    "sup_track_note": (
        "{name}: {n} điểm GPS, {km} km; lộ trình dự kiến {stops} điểm dừng.",
        "{name}: {n} GPS points, {km} km; planned route of {stops} stops.",
    ),
    "sup_legend_planned": ("Chưa đi", "Planned"),
    "sup_legend_en_route": ("Đang đến", "On the way"),
    "sup_legend_completed": ("Đã xong", "Done"),
    "sup_legend_failed": ("Không thành công", "Failed"),
    "sup_legend_cancelled": ("Đã huỷ", "Cancelled"),
    "sup_legend_late": ("Trễ giờ hẹn", "Late"),
    "sup_legend_track": ("Đường đi thực tế", "Actual track"),
    "sup_legend_plan": ("Lộ trình dự kiến", "Planned route"),
    "sup_minutes": ("{n} phút", "{n} min"),
    "sup_hours_minutes": ("{h} giờ {m} phút", "{h} h {m} min"),
    "sup_day_title": ("Ngày làm việc: {name}", "Day of {name}"),
    # issue 9: the officer's account, on their day screen
    "sup_account": ("Tài khoản và thiết bị", "Account and devices"),
    "sup_locked_until": ("Đang bị khóa đăng nhập đến {at}", "Locked out of sign-in until {at}"),
    "sup_not_locked": ("Không bị khóa đăng nhập", "Not locked out"),
    "sup_unlock": ("Mở khóa đăng nhập", "Lift the lockout"),
    "sup_unlocked": ("Đã mở khóa đăng nhập, cán bộ có thể đăng nhập lại ngay.",
                     "Lockout lifted: the officer can sign in again now."),
    "sup_device": ("Thiết bị {device}: lần cuối {at}, địa chỉ {address}",
                   "Device {device}: last seen {at}, address {address}"),
    "sup_device_revoked": ("đã thu hồi", "revoked"),
    "sup_revoke": ("Thu hồi", "Revoke"),
    "sup_revoked": ("Đã thu hồi thiết bị {device}.", "Device {device} revoked."),
    "sup_no_devices": ("Chưa đăng nhập trên thiết bị nào.", "No devices yet."),
    "sup_disable": ("Vô hiệu hóa tài khoản", "Disable the account"),
    "sup_disable_confirm": (
        "Vô hiệu hóa tài khoản của {name}? Mọi phiên đăng nhập kết thúc ngay; cán bộ không đăng nhập "
        "được cho đến khi được kích hoạt lại.",
        "Disable {name}'s account? Every session ends now; they cannot sign in until enabled again.",
    ),
    "sup_disabled": ("Tài khoản đã bị vô hiệu hóa.", "The account is disabled."),
    "sup_enable": ("Kích hoạt lại tài khoản", "Enable the account"),
    "sup_enabled": ("Đã kích hoạt lại tài khoản.", "The account is enabled again."),
    "sup_day_distance": ("Quãng đường: {km}", "Distance: {km}"),
    "sup_day_points": ("Điểm GPS: {n}", "GPS points: {n}"),
    "sup_day_span": ("Từ {start} đến {end}", "From {start} to {end}"),
    "sup_day_visits": ("Các lượt theo thứ tự", "Visits in order"),
    "sup_day_failed": ("Lượt không thành công ({n})", "Failed visits ({n})"),
    "sup_flagged": ("{n} lượt cần kiểm tra vị trí GPS", "{n} visits with GPS flags"),
    "sup_none": ("Không có.", "None."),
    "sup_arrived": ("Đến {at} ({src})", "Arrived {at} ({src})"),
    "sup_src_track": ("theo GPS", "from GPS"),
    "sup_src_completion": ("lúc hoàn tất", "at completion"),
    "sup_src_en_route": ("lúc báo đang đến", "from on-the-way"),
    "sup_src_None": ("", ""),
    "sup_not_arrived": ("Chưa đến", "Not arrived"),
    "sup_completed_at": ("Xong {at}", "Done {at}"),
    "sup_spent": ("Thời gian: {d}", "Time spent: {d}"),
    "sup_flag_far_from_home": ("Xa nhà dân", "Far from household"),
    "sup_flag_poor_fix": ("GPS kém", "Poor GPS"),
    "sup_flag_no_fix": ("Không có GPS", "No GPS fix"),
    "sup_flag_clock_off": ("Đồng hồ điện thoại sai", "Phone clock wrong"),
    "sup_flag_clock_jump": ("Đồng hồ bị chỉnh giữa chừng", "Phone clock changed"),
    "sup_flag_impossible_speed": ("Di chuyển nhanh bất thường", "Impossible speed"),
    "sup_flag_identical_fix": ("Vị trí trùng khít lần trước", "Same fix as before"),
    "sup_flag_mock_location": ("Vị trí giả lập", "Mock location"),
    "sup_flag_evidence": ("Bằng chứng", "Evidence"),
    "sup_trusted_at": ("giờ thực {at}", "real time {at}"),
    "sup_wipe": ("Xóa dữ liệu trên máy (mất máy)", "Wipe the phone (lost phone)"),
    "sup_wipe_text": (
        "Lần đồng bộ tới, máy của cán bộ sẽ gửi nốt công việc chưa gửi"
        " rồi xóa toàn bộ dữ liệu và khóa mã hóa.",
        "At its next sync the officer's phone sends its unsent work, then erases all data and its keys.",
    ),
    "sup_wipe_force": ("Xóa ngay cả khi còn việc chưa gửi được", "Wipe even if some work cannot be sent"),
    "sup_wipe_confirm": ("Ra lệnh xóa", "Order the wipe"),
    "sup_wipe_ordered": ("Đã ra lệnh xóa: áp dụng ở lần đồng bộ tới của máy.",
                         "Wipe ordered: applied at the phone's next sync."),
    "sup_export_geojson": ("Xuất đường đi GeoJSON", "Export track GeoJSON"),
    "sup_export_gpx": ("Xuất đường đi GPX", "Export track GPX"),
    "sup_export_ready": ("Đã tạo tệp {fmt}.", "{fmt} file ready."),
    "sup_download": ("Tải tệp {fmt}", "Download {fmt}"),
    "sup_file_saved": ("Đã lưu tệp: {path}", "File saved: {path}"),
    "sup_risk_due_today": ("Đến hạn hôm nay", "Due today"),
    "sup_risk_overdue": ("Quá hạn", "Overdue"),
    "sup_risk_unassigned": ("Chưa giao", "Unassigned"),
    "sup_risk_repeatedly_failed": ("Thất bại nhiều lần", "Repeatedly failed"),
    "sup_risk_empty": ("Không có hồ sơ nào trong mục này.", "No dossiers here."),
    "sup_select_page": ("Chọn cả trang", "Select page"),
    "sup_assign_n": ("Giao / giao lại ({n})", "Assign / reassign ({n})"),
    "sup_prev": ("Trang trước", "Previous"),
    "sup_next": ("Trang sau", "Next"),
    "sup_page": ("Trang {p}/{n} · {total} hồ sơ", "Page {p}/{n} · {total} dossiers"),
    "sup_no_visit": (
        "Chưa có lượt đến nhà: giao sẽ lập lượt {kind}",
        "No visit yet: assigning plans a {kind} visit",
    ),
    "sup_visit_not_needed": ("Không cần đến nhà lúc này", "No home visit needed now"),
    "sup_last_visit_pickup_completed": ("Đã nhận hồ sơ tại nhà lúc {at}", "Picked up at home at {at}"),
    "sup_last_visit_delivery_completed": ("Đã trả kết quả tại nhà lúc {at}", "Delivered at home at {at}"),
    "sup_last_visit_pickup_failed": ("Lượt nhận hồ sơ không thành công lúc {at}", "Pickup failed at {at}"),
    "sup_last_visit_delivery_failed": (
        "Lượt trả kết quả không thành công lúc {at}",
        "Delivery failed at {at}",
    ),
    "sup_skipped": (
        "Không lập lượt cho hồ sơ không cần đến nhà: {items}",
        "No visit planned for dossiers that need none: {items}",
    ),
    "sup_unassigned": ("Chưa giao cho ai", "Not assigned"),
    "sup_assignee": ("Đang giao cho", "Assigned to"),
    "sup_status": ("trạng thái", "status"),
    "sup_appointment": ("Hẹn trả", "Appointment"),
    "sup_failed_times": ("Không thành công {n} lần", "Failed {n} times"),
    "sup_assign_title": ("Giao {n} hồ sơ cho cán bộ", "Assign {n} dossiers"),
    "sup_suggested_for": (
        "Gợi ý theo hồ sơ {code}: cán bộ ấp trước, rồi người gần nhất còn nhận được.",
        "Suggested for {code}: the hamlet officer first, then the nearest with capacity.",
    ),
    "sup_pick_officer_for": (
        "Chọn cán bộ nhận các hồ sơ đã chọn.",
        "Choose the officer for the selected dossiers.",
    ),
    "sup_reason_hamlet_officer": ("Cán bộ phụ trách ấp", "Hamlet's officer"),
    "sup_reason_least_busy": ("Ít việc nhất, gần nhất", "Least busy, then nearest"),
    "sup_pick_day": ("Ngày đi", "Visit day"),
    "sup_day_today": ("Hôm nay", "Today"),
    "sup_day_tomorrow": ("Ngày mai", "Tomorrow"),
    "weekday_0": ("Thứ Hai", "Mon"),
    "weekday_1": ("Thứ Ba", "Tue"),
    "weekday_2": ("Thứ Tư", "Wed"),
    "weekday_3": ("Thứ Năm", "Thu"),
    "weekday_4": ("Thứ Sáu", "Fri"),
    "weekday_5": ("Thứ Bảy", "Sat"),
    "weekday_6": ("Chủ Nhật", "Sun"),
    "dstatus_1": ("Mới đăng ký", "Newly submitted"),
    "dstatus_2": ("Đã tiếp nhận", "Accepted"),
    "dstatus_4": ("Đang xử lý", "Processing"),
    "dstatus_5": ("Chờ bổ sung hồ sơ", "Supplement requested"),
    "dstatus_6": ("Chờ nộp phí", "Fee requested"),
    "dstatus_9": ("Đã có kết quả", "Result ready"),
    "sup_open_visits": ("{n} lượt đang mở", "{n} open visits"),
    "sup_open_visits_today": ("{n} lượt đang mở (hôm nay)", "{n} open visits (today)"),
    "sup_full": ("đã đủ việc", "at capacity"),
    "sup_other_officers": ("Cán bộ khác", "Other officers"),
    "sup_suggested": ("Đề xuất", "Suggested"),
    "sup_assigned_on": (
        "Đã giao {n} hồ sơ cho {name}, ngày {date}.",
        "Assigned {n} dossiers to {name} for {date}.",
    ),
    "sup_assign_failed": ("Không giao được: {items}", "Could not assign: {items}"),
    "assign_fail_conflict": ("lượt đi đã xong hoặc đã hủy", "the visit is already closed"),
    "assign_fail_not_found": ("không thuộc đơn vị của bạn", "not in your units"),
    "assign_fail_date_in_past": (
        "ngày đã qua, chọn hôm nay hoặc ngày sau",
        "that day is past: choose today or later",
    ),
    "ind_unit": ("Đơn vị", "Unit"),
    "ind_label_total": ("Tổng", "Total"),
    "ind_label_unknown": ("Không xác định", "Unknown"),
    "ind_all_units": ("Tất cả đơn vị của tôi", "All my units"),
    "ind_from": ("Từ ngày (dd/mm/yyyy)", "From (dd/mm/yyyy)"),
    "ind_to": ("Đến ngày (dd/mm/yyyy)", "To (dd/mm/yyyy)"),
    "ind_show": ("Xem", "Show"),
    "ind_group_by": ("Theo:", "By:"),
    "ind_group_commune": ("Xã", "Commune"),
    "ind_group_hamlet": ("Ấp", "Hamlet"),
    "ind_group_officer": ("Cán bộ", "Officer"),
    "ind_pickups": ("Nhận tại nhà", "Home pickups"),
    "ind_deliveries": ("Trả tại nhà", "Home deliveries"),
    "ind_failed": ("Không thành công", "Failed visits"),
    "ind_on_time": ("Đúng hạn", "On time"),
    "ind_digitized": ("Số hoá", "Digitized"),
    "ind_transfer": ("Phí chuyển khoản", "Fees by transfer"),
    "ind_reasons": ("Lý do không thành công", "Failure reasons"),
    "ind_chart_on_time": ("Tỉ lệ đúng hạn", "On-time rate"),
    "ind_chart_reasons": ("Lý do không thành công", "Why visits failed"),
    "ind_no_failures": ("Không có lượt không thành công.", "No failed visits."),
    "ind_export_csv": ("Xuất CSV", "Export CSV"),
    "ind_export_xlsx": ("Xuất Excel", "Export Excel"),
    "ind_bad_date": ("Ngày không hợp lệ: nhập dạng 26/11/2026.", "Invalid date: use 26/11/2026."),
    "ind_bad_range": ("Ngày bắt đầu phải trước ngày kết thúc.", "The start must be before the end."),
    # the supervisor's one-stop desk (Hồ sơ)
    "nav_dossiers": ("Hồ sơ", "Dossiers"),
    "dstatus_3": ("Không được tiếp nhận", "Refused"),
    "dstatus_7": ("Đã rút hồ sơ", "Withdrawn"),
    "dstatus_8": ("Dừng xử lý", "Processing stopped"),
    "dstatus_10": ("Đã trả kết quả", "Result returned"),
    "desk_search": ("Tìm hồ sơ", "Find a dossier"),
    "desk_search_hint": (
        "Mã hồ sơ, tên hoặc số CCCD (gõ không dấu được)",
        "Code, name or ID (accents optional)",
    ),
    "desk_search_btn": ("Tìm", "Search"),
    "desk_status_filter": ("Trạng thái", "Status"),
    "desk_all_statuses": ("Tất cả trạng thái", "All statuses"),
    "desk_empty": ("Không có hồ sơ nào khớp.", "No dossiers match."),
    "desk_overdue": ("quá hạn", "overdue"),
    "desk_original": ("Hẹn ban đầu: {at}", "First appointment: {at}"),
    # evidence integrity (issue 9): one line per recorded event of the dossier's visits
    "desk_evidence": ("Bằng chứng", "Evidence"),
    "evidence_line": ("{what}: {why}", "{what}: {why}"),
    "evidence_verified": ("Bằng chứng đã xác minh", "Evidence verified"),
    "evidence_unsigned": ("Không có chữ ký số (ứng dụng cũ)", "Not signed (old app)"),
    "evidence_unknown_device": ("Thiết bị chưa đăng ký khóa với máy chủ", "Device key not registered"),
    "evidence_digest_mismatch": ("Nội dung bằng chứng đã bị thay đổi sau khi ký",
                                 "Evidence changed after it was signed"),
    "evidence_bad_signature": ("Chữ ký số không hợp lệ", "Invalid digital signature"),
    "evidence_gap": ("Thiếu sự kiện trước đó trong chuỗi của thiết bị",
                     "An earlier event of the device is missing"),
    "evidence_fork": ("Chuỗi bằng chứng bị rẽ nhánh", "The device's evidence chain forks"),
    "evidence_chain_mismatch": ("Không khớp với sự kiện trước đó của thiết bị",
                                "Does not follow the device's previous event"),
    "evidence_record_mismatch": ("Dữ liệu lưu trên máy chủ khác với bằng chứng đã ký",
                                 "The server's record differs from the signed evidence"),
    "evidence_missing_record": ("Không tìm thấy bản ghi bằng chứng trên máy chủ",
                                "The evidence record is missing on the server"),
    "desk_return_home": ("Trả kết quả tại nhà", "Result returned at home"),
    "desk_return_post": ("Trả kết quả qua bưu điện", "Result returned by post"),
    "desk_return_desk": ("Trả kết quả tại bộ phận một cửa", "Result collected at the desk"),
    "desk_moves": ("Chuyển trạng thái", "Change status"),
    "desk_move_to": ("Chuyển sang: {label} ({n})", "Move to: {label} ({n})"),
    "desk_no_moves": (
        "Hồ sơ đã ở trạng thái cuối: không chuyển được nữa.",
        "This dossier is in a final state: no further moves.",
    ),
    "desk_confirm_title": ("Xác nhận chuyển trạng thái", "Confirm the status change"),
    "desk_confirm_text": (
        "Chuyển hồ sơ {code} từ «{a}» sang «{b}»?",
        "Move dossier {code} from “{a}” to “{b}”?",
    ),
    "desk_confirm": ("Chuyển", "Move"),
    "desk_note": ("Ghi chú (không bắt buộc)", "Note (optional)"),
    "desk_moved": ("Đã chuyển sang: {label} ({n}).", "Moved to: {label} ({n})."),
    "desk_delivery_planned": (
        "Máy chủ đã lập lượt trả kết quả tại nhà (xem bên dưới).",
        "The server planned a home delivery (see below).",
    ),
    "desk_no_delivery": (
        "Không có lượt trả tại nhà: kết quả trả tại bộ phận một cửa.",
        "No home delivery: the result is collected at the desk.",
    ),
    "desk_open_visits": ("Lượt đang mở", "Open visits"),
    "desk_visit_delivery": ("Trả kết quả tại nhà · ngày {date}", "Home delivery · {date}"),
    "desk_visit_pickup": ("Nhận hồ sơ tại nhà · ngày {date}", "Home pickup · {date}"),
    "desk_assignee": ("Cán bộ: {name}", "Officer: {name}"),
    "desk_apology": ("Xin lỗi & hẹn lại", "Apologise & reschedule"),
    "desk_apology_title": ("Phiếu xin lỗi và hẹn lại ngày trả kết quả", "Apology and new appointment"),
    "desk_apology_hint": (
        "Hồ sơ {code}: lý do chậm và ngày hẹn mới (phải sau ngày hẹn hiện tại).",
        "Dossier {code}: why it is late and the new date (after the current appointment).",
    ),
    "desk_reason": ("Lý do", "Reason"),
    "desk_new_date": ("Ngày hẹn mới (dd/mm/yyyy)", "New date (dd/mm/yyyy)"),
    "desk_apology_save": ("Lưu và tạo phiếu", "Save and print"),
    "desk_err_reason": ("Vui lòng nhập lý do.", "Enter a reason."),
    "desk_err_reason_long": (
        "Lý do quá dài (tối đa 500 ký tự).",
        "Reason too long (500 characters at most).",
    ),
    "desk_err_date_after": (
        "Ngày hẹn mới phải sau ngày hẹn hiện tại.",
        "The new date must follow the current one.",
    ),
    "desk_apologised": ("Đã hẹn lại ngày trả kết quả: {date}.", "New appointment set: {date}."),
    "desk_apology_pdf": ("Tải phiếu xin lỗi (PDF)", "Download the apology (PDF)"),
    # the summary the citizen signs under
    "sign_summary_title": ("Người dân ký xác nhận nội dung sau", "The citizen signs to confirm"),
    "sum_procedure": ("Thủ tục", "Procedure"),
    "sum_documents": ("Giấy tờ đã nhận", "Documents received"),
    "sum_fee": ("Lệ phí", "Fee"),
    "sum_appointment": ("Hẹn trả kết quả", "Result appointment"),
    "sum_result": ("Kết quả trao", "Result handed over"),
    "sum_recipient": ("Người nhận", "Recipient"),
    "sum_dossier": ("Mã hồ sơ", "Dossier code"),
    "sum_none": ("Không có", "None"),
    "pick_date": ("Chọn ngày", "Pick a date"),
    "nav_route": ("Lộ trình", "Route"),
    "all_kinds": ("Mọi loại", "All kinds"),
    "all_statuses": ("Mọi trạng thái", "All statuses"),
    "more_filters": ("Lọc theo loại", "Filter by kind"),
    # error codes of the services and the shared domain rules (api_client/domain)
    "id_digits": ("Số căn cước phải gồm đúng 12 chữ số.", "The citizen ID must have exactly 12 digits."),
    "id_province": (
        "Mã tỉnh {province} không hợp lệ, phải từ 001 đến 096.",
        "Province code {province} is not valid: it must be 001 to 096.",
    ),
    "id_birth_mismatch": (
        "Số căn cước ứng với năm sinh {year}, không khớp ngày sinh {birth}.",
        "The citizen ID gives birth year {year}, which does not match the date of birth {birth}.",
    ),
    "id_future": (
        "Chữ số thế kỷ/giới tính và năm sinh cho ra năm sinh trong tương lai.",
        "The century digit and year give a birth year in the future.",
    ),
    "phone_format": (
        "Số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (hoặc +84).",
        "The phone number must have 10 digits starting with 0 (or +84).",
    ),
    "sig_malformed": ("Chữ ký bị lỗi định dạng", "The signature is damaged"),
    "sig_empty": ("Chưa có chữ ký", "No signature yet"),
    "sig_short": ("Chữ ký quá ngắn, vui lòng ký lại", "The signature is too short, sign again"),
    "err_pay_method": ("Chọn hình thức nộp.", "Choose how the fee is paid."),
    "err_date_format": ("Ngày phải theo dạng DD/MM/YYYY.", "The date must be DD/MM/YYYY."),
    "err_number": ("Phải là số.", "Must be a number."),
    "err_choice": ("Chọn một giá trị trong danh sách.", "Pick a value from the list."),
    "err_sets": ("Số bộ từ 1 đến 99.", "Number of sets: 1 to 99."),
    "err_event": ("Không ghi được sự kiện: {detail}", "The event could not be recorded: {detail}"),
    "err_no_missing": ("Không có giấy tờ thiếu.", "No document is missing."),
    "err_pick_dossiers": ("Chọn ít nhất một hồ sơ.", "Pick at least one dossier."),
    "err_pick_counterpart": ("Chọn cán bộ một cửa nhận/giao.", "Pick the desk officer."),
    "err_recipient_name": ("Họ tên người nhận không được để trống.", "The recipient's name is required."),
    "err_id_not_applicant": (
        "Số CCCD không khớp với người nộp hồ sơ. "
        "Nếu người nhận là người khác, chọn «Người được ủy quyền».",
        "The ID does not match the applicant. If someone else receives it, choose “Authorised person”.",
    ),
    "err_relationship": ("Cần ghi quan hệ với người nộp hồ sơ.", "Enter the relationship to the applicant."),
    "err_auth_photo": ("Cần chụp giấy ủy quyền.", "Take a photo of the authorisation."),
    "err_receipt_code_empty": (
        "Cần nhập mã hồ sơ trên giấy tiếp nhận.",
        "Enter the dossier code on the slip.",
    ),
    "err_receipt_code_mismatch": (
        "Mã trên giấy tiếp nhận ({code}) không khớp với hồ sơ {expected}. "
        "Dừng trả kết quả: không giao giấy tờ.",
        "The code on the slip ({code}) does not match dossier {expected}. Stop: do not hand anything over.",
    ),
    "err_qr_unreadable": (
        "Không đọc được mã QR trong ảnh. Hãy chụp rõ hơn hoặc nhập mã.",
        "Could not read the QR code in the photo. Take a sharper one or type the code.",
    ),
    "gps_denied": ("Không được cấp quyền vị trí", "Location permission denied"),
    "gps_timeout": ("Hết thời gian chờ GPS", "GPS timed out"),
    "gps_failed": ("Lỗi GPS", "GPS error"),
    "gps_no_position": ("Không có vị trí", "No position"),
    "reconnecting": ("Đang thử kết nối lại…", "Trying to reconnect…"),
    "supplement_slip_pdf": ("Tải phiếu yêu cầu bổ sung (PDF)", "Download the supplement slip (PDF)"),
    "supplement_title": ("Yêu cầu bổ sung hồ sơ", "Request missing documents"),
    "supplement_missing": ("Người dân cần bổ sung", "The citizen must bring"),
    "supplement_open": ("Yêu cầu bổ sung…", "Request missing documents…"),
    "door_photo": ("Ảnh cửa nhà hoặc giấy báo để lại", "Photo of the door or the note left"),
    "outcome_gps": ("Vị trí (bằng chứng đã đến nhà)", "Location (proof of presence)"),
    "outcome_done_failed": ("Đã lưu lượt không thành công.", "Failed visit saved."),
    "outcome_done_supplement": (
        "Đã lưu yêu cầu bổ sung. Đưa phiếu cho người dân.",
        "Supplement request saved. Hand the slip to the citizen.",
    ),
    "delivery_slip_pdf": ("Tải biên nhận trả kết quả (PDF)", "Download the delivery slip (PDF)"),
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

    def errors(self, errors: dict[str, str], params: dict[str, dict] | None = None) -> dict[str, str]:
        """Field -> message for a service's error codes, in the current language (an unknown code,
        such as a server's own message, is shown as it is)."""
        params = params or {}
        out = {}
        for field, code in errors.items():
            try:
                out[field] = self.t(code, **params.get(field, {}))
            except (KeyError, IndexError):  # a message whose values did not come: say it plainly
                out[field] = self.t(code)
        return out

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


def location_error_text(t: Callable[..., str], code: str, detail: str = "") -> str:
    """Why there is no GPS fix, in the officer's language (a code of services.location's
    LOCATION_ERRORS; anything else is the device's own words, or an older draft's message)."""
    if code in ("gps_denied", "gps_timeout", "gps_no_position"):
        return t(code)
    if code in ("gps_failed", "other"):
        return t("gps_err_other", detail=detail) if detail else t("gps_failed")
    return code


def problem_text(t: Callable[..., str], message: str) -> str:
    """A conflict's message: a phone-made "code:<name>" in the officer's language, else as stored."""
    if message.startswith("code:"):
        return t(f"problem_{message[5:]}")
    return message


def has_text(key: str) -> bool:
    """Whether a UI string exists for `key` (e.g. a server code the screen can word itself)."""
    return key in STRINGS
