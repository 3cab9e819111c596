"""Issue 11: `doorstep serve --workers N` and `doorstep web` as real, separate processes."""

from __future__ import annotations

from pathlib import Path

import httpx
from prockit import Doorstep
from testkit import free_port


def test_the_web_ui_runs_in_its_own_process_and_outlives_the_api(tmp_path: Path) -> None:
    api_port, web_port = free_port(), free_port()
    api_url, web_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{web_port}"
    api = Doorstep(["serve", "--workers", "2", "--no-web-ui", "--port", str(api_port),
                    "--data-dir", str(tmp_path / "api")], tmp_path / "api.log", env={"DATABASE_URL": ""})
    web = Doorstep(["web", "--backend-url", api_url, "--port", str(web_port),
                    "--data-dir", str(tmp_path / "web")], tmp_path / "web.log")
    try:
        api.wait_http(f"{api_url}/api/v1/health")
        web.wait_http(web_url + "/")
        assert len(api.workers()) == 2
        assert httpx.get(f"{api_url}/").status_code == 404  # no UI in the API workers
        page = httpx.get(web_url + "/")
        assert "text/html" in page.headers["content-type"] and "flutter" in page.text.lower()
        # the UI's process is not an API worker: stopping the API leaves it serving
        api.stop()
        assert httpx.get(web_url + "/").status_code == 200
        assert web.proc.poll() is None
    finally:
        api.stop()
        web.stop()
