"""The report's PDF loads the site's own static files, and nothing from another host or
from elsewhere on the server's disk, whatever the HTML names."""

import http.server
import io
import threading
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from pypdf import PdfReader

from meetings.render import render_pdf

OWN_SCRIPT = Path(finders.find("meetings/report.js"))
# A 1×1 transparent PNG.
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def other_host():
    """An HTTP server on localhost that records every request it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"hemmeligt-fra-en-anden-vaert")

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def report_pdf(html: str, monkeypatch) -> PdfReader:
    """The report's PDF, drawn from this HTML instead of the report's template."""
    monkeypatch.setattr("meetings.render.render_html", lambda report: html)
    pdf = render_pdf(report=None)
    assert pdf.startswith(b"%PDF")
    return PdfReader(io.BytesIO(pdf))


def attachments(reader: PdfReader) -> dict[str, list[bytes]]:
    return {name: list(contents) for name, contents in reader.attachments.items()}


def test_another_host_and_files_outside_the_static_files_are_refused(
    other_host, monkeypatch, caplog
):
    url, requests = other_host
    reader = report_pdf(
        f"""<!doctype html><html><body>
        <h1>Statusrapport</h1>
        <img src="{url}/logo.png" alt="">
        <link rel="stylesheet" href="{url}/print.css">
        <link rel="attachment" href="{url}/bilag.txt">
        <link rel="attachment" href="file:///etc/passwd">
        <link rel="attachment" href="/static/../../../../etc/passwd">
        <link rel="attachment" href="/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd">
        </body></html>""",
        monkeypatch,
    )
    assert requests == []
    assert attachments(reader) == {}
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Statusrapport" in text
    assert "root:" not in text
    refused = [r for r in caplog.records if "only the site's own static files" in r.getMessage()]
    assert len(refused) == 6


def test_the_sites_own_static_files_and_data_urls_are_loaded(monkeypatch):
    reader = report_pdf(
        f"""<!doctype html><html><body>
        <h1>Statusrapport</h1>
        <img src="data:image/png;base64,{PIXEL}" alt="">
        <link rel="attachment" href="/static/meetings/report.js" title="som URL">
        <link rel="attachment" href="{OWN_SCRIPT.as_uri()}" title="som fil">
        </body></html>""",
        monkeypatch,
    )
    assert attachments(reader) == {"report.js": [OWN_SCRIPT.read_bytes()] * 2}
    assert any(page.images for page in reader.pages)
