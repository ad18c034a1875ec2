"""What the PDF renderer may load: data: URLs and the project's own static files, from disk.

WeasyPrint fetches every URL a page names (images, stylesheets, attachments) over the
network or from the file system. A template, or markup that ever got into one, could then
make the server request another host or embed any file it can read in the PDF
(`<link rel="attachment" href="file:///etc/passwd">`). Anything else is refused, which
WeasyPrint takes for a resource that failed to load: the PDF is drawn without it, and a
warning is logged.

Imported only when a PDF is drawn: importing WeasyPrint loads Pango.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse


def base_url() -> str:
    """The PDF's base URL: the site, so that `{% static %}`'s /static/… is absolute."""
    return f"{settings.SITE_URL}/"


def static_roots() -> list[Path]:
    """The folders static files are found in (the apps' static folders) or collected to."""
    roots = [
        Path(storage.location)
        for finder in finders.get_finders()
        for storage in getattr(finder, "storages", {}).values()
    ]
    return [root.resolve() for root in [*roots, Path(settings.STATIC_ROOT)]]


def static_file(url: str) -> Path | None:
    """The file a URL names if it is one of the project's static files, else None."""
    static_url = urljoin(base_url(), settings.STATIC_URL)
    if url.startswith(static_url):
        name = unquote(urlsplit(url[len(static_url) :]).path)
        try:
            # The files as the apps keep them, or as collectstatic wrote them (hashed names).
            found = finders.find(name) or Path(settings.STATIC_ROOT) / name
        except SuspiciousFileOperation:  # ../ out of an app's static folder
            return None
    elif urlsplit(url).scheme == "file":
        found = url2pathname(urlsplit(url).path)
    else:
        return None
    path = Path(found).resolve()
    if path.is_file() and any(path.is_relative_to(root) for root in static_roots()):
        return path
    return None


class OwnStaticFiles(URLFetcher):
    """WeasyPrint's url_fetcher for the report."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file(url)
        if path is None:
            raise ValueError(f"The report loads only the site's own static files, not {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
