import hmac

from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache

from operations import health


@never_cache
def health_view(request):
    """/health/: 200 when every part answers, else 503 naming the failing parts."""
    if settings.HEALTH_TOKEN:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), settings.HEALTH_TOKEN.encode()):
            return HttpResponseForbidden("Adgang nægtet")
    answer = health.report(health.check_all())
    return JsonResponse(
        answer, status=503 if answer["failing"] else 200, json_dumps_params={"ensure_ascii": False}
    )
