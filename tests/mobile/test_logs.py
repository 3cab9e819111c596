"""The app's rotating log file in its data directory, and errors that used to vanish now logged."""

from __future__ import annotations

import logging

from mobile.logs import configure_logging, log_path
from mobile.services.observable import Observable


def test_log_file_in_the_data_directory_once(tmp_path):
    path = configure_logging(tmp_path / "a")
    assert path == log_path(tmp_path / "a")
    configure_logging(tmp_path / "a")  # a second tab: still one handler
    handlers = [h for h in logging.getLogger("mobile").handlers if h.get_name() == "doorstep-file"]
    assert len(handlers) == 1
    logging.getLogger("mobile.test").warning("kiểm tra nhật ký")
    handlers[0].flush()
    assert "WARNING mobile.test: kiểm tra nhật ký" in path.read_text(encoding="utf-8")


def test_a_failing_listener_is_logged_not_swallowed(tmp_path):
    path = configure_logging(tmp_path / "b", level=logging.DEBUG)
    state = Observable()
    seen = []

    def broken() -> None:
        raise RuntimeError("view is gone")

    state.subscribe(broken)
    state.subscribe(lambda: seen.append(1))
    state.notify()
    assert seen == [1]  # the others still run
    for h in logging.getLogger("mobile").handlers:
        h.flush()
    assert "RuntimeError: view is gone" in path.read_text(encoding="utf-8")
    configure_logging(tmp_path / "b")  # back to INFO for the tests after this one
