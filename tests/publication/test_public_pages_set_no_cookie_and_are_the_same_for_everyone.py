"""The public pages need no login, set no cookie, and are cached for a minute as one page
for everyone: a logged-in user's request cannot put what they see into the cache."""

import pytest

from tests.publication.conftest import urls

pytestmark = pytest.mark.django_db


def test_no_page_sets_a_cookie_or_varies_on_one(client, published):
    for url in urls(published):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
        assert "cookie" not in response.headers.get("Vary", "").lower(), url
        cache_control = response.headers["Cache-Control"]
        assert "max-age=60" in cache_control, (url, cache_control)
        assert "public" in cache_control, (url, cache_control)


def test_a_logged_in_user_gets_and_leaves_the_page_anonymous_visitors_get(
    client, published, secretariat_member
):
    client.force_login(secretariat_member)
    seen_logged_in = {url: client.get(url) for url in urls(published)}
    for url, response in seen_logged_in.items():
        assert "Set-Cookie" not in response.headers, url
        text = response.content.decode("utf-8-sig")
        assert secretariat_member.username not in text, url
        assert "Log ud" not in text, url
    client.logout()
    for url, response in seen_logged_in.items():
        assert client.get(url).content == response.content, url


def test_no_page_carries_a_script(client, published):
    for url in urls(published)[:5]:
        assert "<script" not in client.get(url).content.decode(), url
