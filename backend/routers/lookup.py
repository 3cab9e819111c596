"""`/tra-cuu`: the public dossier lookup page the receipt's QR opens (no login, no script, no
external file). `?t=<token>` shows that dossier; the form takes the dossier code and the last four
digits of the phone. Every lookup counts against the client address's rate limit."""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..services import lookup
from ..services.lookup import PublicStatus

router = APIRouter(include_in_schema=False)

# (Vietnamese, English); Vietnamese is the default, English one tap away
TEXT: dict[str, tuple[str, str]] = {
    "title": ("Tra cứu hồ sơ", "Dossier lookup"),
    "intro": ("Quét mã QR trên giấy tiếp nhận, hoặc nhập mã hồ sơ và 4 số cuối điện thoại đã khai.",
              "Scan the QR code on your receipt, or enter the dossier code and the last 4 digits of "
              "the phone number you gave."),
    "code": ("Mã hồ sơ", "Dossier code"),
    "phone": ("4 số cuối điện thoại", "Last 4 digits of your phone"),
    "submit": ("Tra cứu", "Look up"),
    "status": ("Tình trạng", "Status"),
    "appointment": ("Ngày hẹn trả kết quả", "Result due on"),
    "no_appointment": ("Chưa có ngày hẹn", "No date yet"),
    "return": ("Nơi nhận kết quả", "Where you get the result"),
    "not_found": ("Không tìm thấy hồ sơ. Kiểm tra lại mã QR, hoặc mã hồ sơ và 4 số cuối điện thoại.",
                  "No dossier found. Check the QR code, or the dossier code and the last 4 phone digits."),
    "limited": ("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
                "Too many lookups. Please try again in {minutes} minutes."),
    "again": ("Tra cứu hồ sơ khác", "Look up another dossier"),
    "switch": ("English", "Tiếng Việt"),
}
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6fa;
color:#1b1f24}
main{max-width:34rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;color:#0d47a1;margin:.5rem 0 1rem}
.card{background:#fff;border-radius:.6rem;padding:1rem;box-shadow:0 1px 3px #0002;margin-bottom:1rem}
dt{font-size:.9rem;color:#555;margin-top:.6rem}dd{margin:.1rem 0 0;font-size:1.15rem;font-weight:600}
label{display:block;margin-top:.8rem;font-weight:600}
input{width:100%;box-sizing:border-box;font-size:1.1rem;padding:.6rem;margin-top:.3rem;border:1px solid #888;
border-radius:.4rem}
button{margin-top:1rem;width:100%;font-size:1.1rem;padding:.7rem;border:0;border-radius:.4rem;background:#0d47a1;
color:#fff}
.msg{color:#b00020;font-weight:600}.lang{float:right;font-size:.9rem}
"""


def _lang(value: str | None) -> str:
    return "en" if value == "en" else "vi"


def _t(key: str, lang: str, **kw: object) -> str:
    return TEXT[key][lang == "en"].format(**kw)


def _page(lang: str, body: str, switch_query: dict[str, str], status: int = 200) -> HTMLResponse:
    other = "vi" if lang == "en" else "en"
    switch = escape("/tra-cuu?" + urlencode({**switch_query, "lang": other}))
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{_t('title', lang)}</title><style>{STYLE}</style></head><body><main>"
        f'<a class="lang" href="{switch}" hreflang="{other}">{_t("switch", lang)}</a>'
        f"<h1>{_t('title', lang)}</h1>{body}</main></body></html>"
    )
    # the token is in the address: never send it on as a referrer, never cache the answer
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
    return HTMLResponse(html, status_code=status, headers=headers)


def _form(lang: str, code: str = "") -> str:
    return (
        f'<form class="card" method="post" action="/tra-cuu"><p>{_t("intro", lang)}</p>'
        f'<input type="hidden" name="lang" value="{lang}">'
        f'<label for="ma">{_t("code", lang)}</label>'
        f'<input id="ma" name="ma" required maxlength="60" autocomplete="off" value="{escape(code)}" '
        'placeholder="000.00.21.H01-260304-0001">'
        f'<label for="so">{_t("phone", lang)}</label>'
        '<input id="so" name="so" required inputmode="numeric" pattern="[0-9]{4}" maxlength="4" '
        'autocomplete="off">'
        f'<button type="submit">{_t("submit", lang)}</button></form>'
    )


def _result(lang: str, found: PublicStatus) -> str:
    due = found.appointment.strftime("%d/%m/%Y") if found.appointment else _t("no_appointment", lang)
    return (
        '<dl class="card" id="ket-qua">'
        f'<dt>{_t("status", lang)}</dt><dd id="tinh-trang">{escape(found.status_words(lang))}</dd>'
        f'<dt>{_t("appointment", lang)}</dt><dd id="ngay-hen">{escape(due)}</dd>'
        f'<dt>{_t("return", lang)}</dt><dd id="noi-nhan">{escape(found.return_words(lang))}</dd>'
        "</dl>"
    )


def _limited(request: Request, lang: str, query: dict[str, str]) -> HTMLResponse | None:
    limiter: lookup.RateLimiter = request.app.state.lookup_limiter
    wait = limiter.check(request.client.host if request.client else "unknown")
    if not wait:
        return None
    minutes = max(1, int(wait + 59) // 60)
    body = f'<p class="card msg" id="thong-bao">{_t("limited", lang, minutes=minutes)}</p>'
    response = _page(lang, body, query, status=429)
    response.headers["Retry-After"] = str(int(wait + 0.999))
    return response


@router.get("/tra-cuu", response_class=HTMLResponse)
def lookup_page(request: Request, t: str | None = None, lang: str | None = None) -> HTMLResponse:
    """The form, or (with ?t=) the status of the dossier whose receipt QR carries that token."""
    lg = _lang(lang)
    if t is None:
        return _page(lg, _form(lg), {})
    query = {"t": t}
    limited = _limited(request, lg, query)
    if limited is not None:
        return limited
    found = lookup.by_token(request.app.state.engine, t)
    if found is None:
        return _page(lg, f'<p class="card msg" id="thong-bao">{_t("not_found", lg)}</p>' + _form(lg), query,
                     status=404)
    return _page(lg, _result(lg, found) + f'<p><a href="/tra-cuu?lang={lg}">{_t("again", lg)}</a></p>', query)


@router.post("/tra-cuu", response_class=HTMLResponse)
async def lookup_by_code(request: Request) -> HTMLResponse:
    """The form's answer: the dossier with that code whose phone ends with those 4 digits."""
    raw = await request.body()
    fields = {k: v[0] for k, v in parse_qs(raw[:4096].decode("utf-8", "replace")).items() if v}
    lg = _lang(fields.get("lang"))
    limited = _limited(request, lg, {})
    if limited is not None:
        return limited
    code = fields.get("ma", "")
    found = lookup.by_code_and_phone(request.app.state.engine, code, fields.get("so", ""))
    if found is None:
        body = f'<p class="card msg" id="thong-bao">{_t("not_found", lg)}</p>' + _form(lg, code)
        return _page(lg, body, {}, status=404)
    return _page(lg, _result(lg, found) + f'<p><a href="/tra-cuu?lang={lg}">{_t("again", lg)}</a></p>', {})
