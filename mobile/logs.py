"""The app's log: standard `logging` into a rotating file in the app's data directory."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "doorstep.log"
MAX_BYTES = 512 * 1024  # a phone's storage is small: at most ~2 MB of logs in all
BACKUPS = 3
_HANDLER_NAME = "doorstep-file"


def configure_logging(data_dir: Path | str, level: int = logging.INFO) -> Path:
    """Send the `mobile` and `api_client` loggers to <data_dir>/logs/doorstep.log.

    Called again for the same directory (another tab) it changes nothing; for another directory
    (a test, a new data dir) the file moves there: one process, one log file.
    """
    folder = Path(data_dir) / "logs"
    path = folder / LOG_NAME
    for name in ("mobile", "api_client"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        mine = [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]
        if any(isinstance(h, logging.FileHandler) and h.baseFilename == str(path.resolve()) for h in mine):
            continue
        for old in mine:
            logger.removeHandler(old)
            old.close()
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8", delay=True)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    return path


def log_path(data_dir: Path | str) -> Path:
    """Where configure_logging writes for this data directory."""
    return Path(data_dir) / "logs" / LOG_NAME
