"""The `doorstep` command: serve, seed demo data, import dossiers, create accounts, run the web app.

Exit codes: 0 success; 1 the command ran but something was refused (bad rows, taken username);
2 it could not run (bad arguments, unreadable file, database unreachable).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import uvicorn
from pydantic import ValidationError
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from api_client.domain.clock import VN_TZ, ShiftedClock, bind_clock, current_clock
from api_client.models import OfficerCreate, Role

from .config import Settings
from .db.engine import make_engine
from .db.migrations import migrate, serialise_setup
from .db.schema import officer_units, officers, units
from .importer import ImportFileError, import_dossiers
from .reference import ensure_catalogues, ensure_units, insert_id, now_iso
from .security import hash_password
from .seed import DEMO_PASSWORD, SeedSummary, is_demo_seeded, seed_demo
from .services.geocoding import make_geocoder

ROLE_LABELS = {"hamlet_officer": "Cán bộ ấp/khóm", "postal_worker": "Nhân viên bưu điện",
               "supervisor": "Giám sát"}


WORKER_HEALTHCHECK_S = 60


class CliError(Exception):
    """A failure to report on stderr with an exit code, without a traceback."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def _db_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--data-dir", type=Path, default=Path(os.environ.get("DOORSTEP_DATA_DIR", "data")),
                        help="data directory: SQLite file, signing key, blobs "
                             "(default $DOORSTEP_DATA_DIR, else ./data)")
    parent.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="PostgreSQL URL (default $DATABASE_URL; SQLite in --data-dir when unset)")
    return parent


def _server_options(parser: argparse.ArgumentParser, port: int = 8000) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=port, help=f"port to listen on (default {port})")


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"'{text}' không phải thời điểm ISO-8601, ví dụ 2026-03-10T09:30+07:00") from exc
    return value if value.tzinfo else value.replace(tzinfo=VN_TZ)  # a bare time is commune time


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="doorstep", description="Doorstep - Một cửa tận nhà (server tools)")
    parser.add_argument("--now", type=_instant, default=None, metavar="ISO",
                        help="start the business clock at this instant, then let it run (demos, tests); "
                             "a time without a zone is Vietnam time")
    sub = parser.add_subparsers(dest="command", required=True)
    db = _db_options()

    serve = sub.add_parser("serve", parents=[db], help="run the API (and the web UI)")
    _server_options(serve)
    serve.add_argument("--no-web-ui", action="store_true", help="serve the API only, no web UI at /")
    serve.add_argument("--workers", type=int, default=1,
                       help="API worker processes (default 1); more than 1 needs --no-web-ui "
                            "(run the UI apart with `doorstep web`), PostgreSQL recommended")
    serve.add_argument("--no-dispatch", action="store_true",
                       help="do not send notices from the API workers (`doorstep dispatch` runs apart)")

    sub.add_parser("migrate", parents=[db],
                   help="upgrade the database schema and load shipped reference data, then exit")
    serve.add_argument("--public-url", default=os.environ.get("DOORSTEP_PUBLIC_URL"),
                       help="address phones use to reach this server, shown in the provisioning QR "
                            "(default $DOORSTEP_PUBLIC_URL, else http://HOST:PORT)")

    seed = sub.add_parser("seed", parents=[db], help="load demo data (An Phú, An Giang)")
    seed.add_argument("--demo", action="store_true", help="the demo data set (required)")

    demo = sub.add_parser("demo", parents=[db], help="seed demo data if empty, print logins, serve")
    _server_options(demo)
    demo.add_argument("--no-web-ui", action="store_true", help="serve the API only, no web UI at /")
    demo.add_argument("--public-url", default=os.environ.get("DOORSTEP_PUBLIC_URL"),
                       help="address phones use to reach this server, shown in the provisioning QR "
                            "(default $DOORSTEP_PUBLIC_URL, else http://HOST:PORT)")

    imp = sub.add_parser("import", parents=[db], help="import dossiers from a CSV or JSON export")
    imp.add_argument("file", type=Path, help="a .csv or .json file")

    user = sub.add_parser("create-user", parents=[db], help="create an officer account")
    user.add_argument("--username", required=True)
    user.add_argument("--password", required=True)
    user.add_argument("--full-name", required=True)
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--unit", nargs="*", default=[], metavar="CODE", help="unit codes the officer covers")
    user.add_argument("--phone", default=None)

    for name, required in (("web", False), ("app", True)):  # `app`: the older name, kept for scripts
        web = sub.add_parser(name, help="run only the web UI (its own process), reaching the API over HTTP")
        target = web.add_mutually_exclusive_group(required=required)
        target.add_argument("--backend-url", help="the API's address (default http://127.0.0.1:8000)")
        target.add_argument("--first-run", action="store_true",
                            help="no preset server: each tab is set up like a new phone (first-run screen)")
        _server_options(web, port=8550)
        web.add_argument("--data-dir", type=Path, default=Path("data"),
                         help="local app data (default ./data)")

    dispatch = sub.add_parser("dispatch", parents=[db],
                              help="send queued notices until stopped (run as many as you like)")
    dispatch.add_argument("--webhook-url", default=os.environ.get("DOORSTEP_NOTICE_WEBHOOK_URL"),
                          help="gateway URL (default $DOORSTEP_NOTICE_WEBHOOK_URL; required)")
    dispatch.add_argument("--interval", type=float, default=5.0,
                          help="seconds to wait when the queue is empty (default 5)")
    dispatch.add_argument("--lease", type=float, default=120.0,
                          help="seconds a claimed notice stays this dispatcher's (default 120)")
    dispatch.add_argument("--batch", type=int, default=50, help="notices claimed at a time (default 50)")

    unlock = sub.add_parser("unlock", parents=[db],
                            help="lift a login lockout (when no supervisor above the account can)")
    unlock.add_argument("--username", required=True)

    notices = sub.add_parser("notices", help="notices to citizens (issue 4)")
    notices_sub = notices.add_subparsers(dest="notices_command", required=True)
    send = notices_sub.add_parser("send", parents=[db], help="dispatch queued notices once")
    send.add_argument("--webhook-url", default=os.environ.get("DOORSTEP_NOTICE_WEBHOOK_URL"),
                      help="gateway URL (default $DOORSTEP_NOTICE_WEBHOOK_URL; unset: they wait at the desk)")
    send.add_argument("--limit", type=int, default=200, help="at most this many notices (default 200)")

    verify = sub.add_parser("verify", parents=[db],
                            help="re-check the evidence seals of a dossier or a device (issue 9)")
    which = verify.add_mutually_exclusive_group(required=True)
    which.add_argument("--dossier", metavar="CODE", help="dossier code, e.g. 000.00.21.H01-230925-0001")
    which.add_argument("--device", metavar="ID", help="device id (32 hex digits)")
    return parser


def _settings(args: argparse.Namespace, *, web_ui: bool = True, public_url: str | None = None) -> Settings:
    settings = Settings(data_dir=args.data_dir, database_url=args.database_url or None, web_ui=web_ui,
                        clock=current_clock())
    if public_url:
        settings.public_url = public_url
    return settings


def _prepared_engine(settings: Settings) -> Engine:
    """Engine with the schema migrated and the shipped units and catalogue loaded."""
    try:
        engine = make_engine(settings)
        migrate(engine)
        with engine.begin() as conn:
            serialise_setup(conn)  # several processes starting together must not both insert a unit
            ensure_units(conn)
            ensure_catalogues(conn)
    except SQLAlchemyError as exc:
        raise CliError(f"Không kết nối được cơ sở dữ liệu (database error): {exc}") from exc
    return engine


def _public_url(host: str, port: int) -> str:
    # A wildcard address is where we listen, not where a browser (or the mounted UI) can reach us.
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{reachable}:{port}"


def _run_server(args: argparse.Namespace) -> int:
    from .app import create_app  # imported late: it pulls in FastAPI, Flet and every router

    workers = getattr(args, "workers", 1)
    if workers < 1:
        raise CliError("--workers phải từ 1 trở lên (--workers must be at least 1)")
    if workers > 1 and not args.no_web_ui:
        # Flet keeps each browser session in one process; behind N workers a reconnect may land elsewhere
        raise CliError("Nhiều worker thì giao diện web phải chạy riêng: thêm --no-web-ui và chạy "
                       "`doorstep web --backend-url ...` (several workers need --no-web-ui; "
                       "run the web UI apart with `doorstep web`)")
    public = (args.public_url or "").rstrip("/") or _public_url(args.host, args.port)
    settings = _settings(args, web_ui=not args.no_web_ui, public_url=public)
    settings.notice_dispatch = not getattr(args, "no_dispatch", False)
    # migrate and load reference data once, here, before any worker starts
    _prepared_engine(settings).dispose()
    print(f"Doorstep đang chạy tại {settings.public_url} (API: {settings.public_url}/api/docs)", flush=True)
    if workers == 1:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
        return 0
    # each worker process builds its own app (and engine) from the environment
    os.environ.update(settings.to_env())
    print(f"{workers} worker API; giao diện web chạy riêng: "
          f"`doorstep web --backend-url {settings.public_url}`", flush=True)
    # a worker importing FastAPI and every router on a busy host may take more than uvicorn's 5 s
    # health-check budget, and would be killed and restarted for it
    uvicorn.run("backend.app:app_from_env", factory=True, workers=workers, host=args.host, port=args.port,
                log_level="info", timeout_worker_healthcheck=WORKER_HEALTHCHECK_S)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`doorstep serve`: the API, and the web UI unless --no-web-ui."""
    return _run_server(args)


def _print_summary(summary: SeedSummary) -> None:
    state = "Đã tạo dữ liệu mẫu" if summary.created else "Dữ liệu mẫu đã có sẵn, không tạo lại"
    print(f"{state}: {summary.units} đơn vị, {summary.officers} cán bộ, {summary.citizens} công dân, "
          f"{summary.dossiers} hồ sơ, {summary.visits} lượt thăm.")


def _print_logins(summary: SeedSummary) -> None:
    print(f"\nTài khoản demo (mật khẩu chung / shared password: {DEMO_PASSWORD})")
    print(f"  {'Tên đăng nhập':<20} {'Vai trò':<20} {'Họ tên':<22} Lượt thăm hôm nay")
    for username, role, full_name in summary.logins():
        today = summary.visits_today.get(username, 0)
        print(f"  {username:<20} {ROLE_LABELS[role]:<20} {full_name:<22} {today or '-'}")
    print()


def cmd_migrate(args: argparse.Namespace) -> int:
    """`doorstep migrate`: apply pending migrations (every command also does at start), then exit."""
    settings = _settings(args, web_ui=False)
    try:
        engine = make_engine(settings)
        applied = migrate(engine)
    except SQLAlchemyError as exc:
        raise CliError(f"Không kết nối được cơ sở dữ liệu (database error): {exc}") from exc
    _prepared_engine(settings).dispose()
    engine.dispose()
    done = ", ".join(map(str, applied)) if applied else "không có (none: already up to date)"
    print(f"Đã áp dụng các bước nâng cấp (migrations applied): {done}")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    """`doorstep seed --demo`: load the demo data set; safe to run twice."""
    if not args.demo:
        raise CliError("Chỉ hỗ trợ dữ liệu mẫu: dùng `doorstep seed --demo` (only --demo is supported)")
    summary = seed_demo(_prepared_engine(_settings(args)))
    _print_summary(summary)
    _print_logins(summary)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """`doorstep demo`: seed an empty database, print the URL and demo logins, then serve."""
    engine = _prepared_engine(_settings(args))
    with engine.connect() as conn:
        empty = conn.execute(select(func.count()).select_from(officers)).scalar_one() == 0
    # Demo data goes only into an empty database (or one it already seeded), never next to real data.
    summary = seed_demo(engine) if empty or is_demo_seeded(engine) else None
    engine.dispose()
    print(f"Mở trình duyệt / open: {_public_url(args.host, args.port)}")
    if summary is None:
        print("Cơ sở dữ liệu đã có tài khoản khác, không nạp dữ liệu mẫu "
              "(database not empty, demo data not loaded)")
    else:
        _print_summary(summary)
        _print_logins(summary)
    return _run_server(args)


def cmd_import(args: argparse.Namespace) -> int:
    """`doorstep import FILE`: import dossiers; exit 1 when some rows were rejected."""
    settings = _settings(args)
    engine = _prepared_engine(settings)
    try:
        report = import_dossiers(engine, args.file, make_geocoder(settings))
    except ImportFileError as exc:
        raise CliError(str(exc)) from exc
    print("\n".join(report.lines()))
    return 1 if report.errors else 0


def cmd_create_user(args: argparse.Namespace) -> int:
    """`doorstep create-user`: an officer account linked to units given by code."""
    engine = _prepared_engine(_settings(args))
    with engine.begin() as conn:
        found = dict(conn.execute(select(units.c.code, units.c.id).where(units.c.code.in_(args.unit))).all())
        unknown = [code for code in args.unit if code not in found]
        if unknown:
            raise CliError(f"Không có đơn vị mã: {', '.join(unknown)} (unknown unit codes)", 1)
        try:
            body = OfficerCreate(username=args.username, password=args.password,
                                 full_name=args.full_name, role=Role(args.role),
                                 unit_ids=[found[c] for c in args.unit], phone=args.phone)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise CliError(f"Thông tin tài khoản không hợp lệ (invalid account): {problems}", 1) from exc
        if conn.execute(select(officers.c.id).where(officers.c.username == body.username)).first():
            raise CliError(f"Tên đăng nhập '{body.username}' đã có (username taken)", 1)
        officer_id = insert_id(conn, officers, {
            "username": body.username, "password_hash": hash_password(body.password),
            "full_name": body.full_name, "role": body.role.value, "phone": body.phone, "active": True,
            "created_at": now_iso()})
        for unit_id in sorted(set(body.unit_ids)):
            conn.execute(insert(officer_units).values(officer_id=officer_id, unit_id=unit_id))
    print(f"Đã tạo tài khoản '{body.username}' ({ROLE_LABELS[body.role.value]}), mã {officer_id}.")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    """`doorstep unlock`: the server operator lifts an account's lockout (recorded in the audit log)."""
    from .services import audit, clock, throttle

    engine = _prepared_engine(_settings(args, web_ui=False))
    with engine.begin() as conn:
        officer_id = conn.execute(select(officers.c.id).where(officers.c.username == args.username)).scalar()
        if officer_id is None:
            raise CliError(f"Không có tài khoản '{args.username}'", 1)
        was = throttle.reset(conn, throttle.account_key(args.username), clock.now_utc())
        audit.record(conn, "lockout_lifted", audit.ClientInfo(method="CLI", path="doorstep unlock"),
                     target_officer_id=officer_id, username=args.username,
                     detail="was locked" if was else "was not locked")
    print(f"Đã mở khóa đăng nhập cho '{args.username}'." if was
          else f"Tài khoản '{args.username}' không bị khóa.")
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    """`doorstep web` (alias `app`): only the Flet web UI, talking to the API over HTTP."""
    from mobile.web import make_asgi_app  # imported late: Flet is heavy and only this command needs it

    backend_url = None if args.first_run else (args.backend_url or "http://127.0.0.1:8000").rstrip("/")
    app = make_asgi_app(backend_url, args.data_dir, clock=current_clock())
    server = backend_url or "đặt ở màn hình cài đặt"
    print(f"Ứng dụng web tại {_public_url(args.host, args.port)}, máy chủ {server}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def cmd_notices(args: argparse.Namespace) -> int:
    """`doorstep notices send`: dispatch queued notices once through the configured gateway."""
    from .notify.dispatcher import dispatch_pending, gateway_for

    settings = _settings(args, web_ui=False)
    settings.notice_webhook_url = args.webhook_url or None
    counts = dispatch_pending(_prepared_engine(settings), gateway_for(settings), limit=args.limit)
    print(f"Đã gửi {counts['sent']}, thử lại sau {counts['retry']}, lỗi {counts['failed']}, "
          f"chờ bộ phận một cửa gửi thủ công {counts['at_desk']}.")
    return 1 if counts["failed"] else 0


def cmd_verify(args: argparse.Namespace) -> int:
    """`doorstep verify`: recompute every seal, chain link and visit record offline; 1 on any problem."""
    from .services.evidence import device_checks, dossier_checks, dossier_id_by_code

    engine = _prepared_engine(_settings(args, web_ui=False))
    with engine.connect() as conn:
        if args.dossier:
            dossier_id = dossier_id_by_code(conn, args.dossier.strip())
            if dossier_id is None:
                raise CliError(f"Không tìm thấy hồ sơ {args.dossier} (dossier not found)")
            checks = dossier_checks(conn, dossier_id)
        else:
            checks = device_checks(conn, args.device.strip().lower())
    for c in checks:
        where = f"{c.device_id}#{c.seq}" if c.device_id else "-"
        mark = "OK " if not c.flags else "LỖI"
        print(f"{mark} {c.event_id} {c.type} lượt {c.visit_id} thiết bị {where}: {c.status} — {c.reason}")
    bad = [c for c in checks if c.flags]
    if not checks:
        print("Không có sự kiện nào để kiểm tra.")
    print(f"Đã kiểm tra {len(checks)} sự kiện: {len(checks) - len(bad)} đạt, {len(bad)} có vấn đề.")
    return 1 if bad else 0



def cmd_dispatch(args: argparse.Namespace) -> int:
    """`doorstep dispatch`: claim and send queued notices in a loop until SIGTERM / Ctrl-C."""
    from .notify.dispatcher import gateway_for
    from .notify.worker import run_dispatch_loop

    if not args.webhook_url:
        raise CliError("Cần --webhook-url hoặc DOORSTEP_NOTICE_WEBHOOK_URL (a gateway URL is required)")
    if args.interval <= 0 or args.lease <= 0 or args.batch < 1:
        raise CliError("--interval, --lease và --batch phải dương (must be positive)")
    settings = _settings(args, web_ui=False)
    settings.notice_webhook_url = args.webhook_url
    engine = _prepared_engine(settings)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print(f"Đang gửi thông báo qua {args.webhook_url} (Ctrl-C để dừng)", flush=True)
    run_dispatch_loop(engine, gateway_for(settings), interval_s=args.interval, lease_s=args.lease,
                      stop=stop, batch=args.batch)
    engine.dispose()
    return 0


COMMANDS = {"serve": cmd_serve, "migrate": cmd_migrate, "seed": cmd_seed, "demo": cmd_demo,
            "import": cmd_import, "create-user": cmd_create_user, "web": cmd_web, "app": cmd_web,
            "notices": cmd_notices, "dispatch": cmd_dispatch, "unlock": cmd_unlock,
            "verify": cmd_verify}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `doorstep` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.now is not None:
        bind_clock(ShiftedClock(args.now))  # every command of this process reads the shifted clock
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.code
    except SQLAlchemyError as exc:
        print(f"Lỗi cơ sở dữ liệu (database error): {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
