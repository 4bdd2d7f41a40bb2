from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from config.api import api
from lgnet.accounts import views as account_views
from lgnet.accounts.middleware import second_factor_exempt
from lgnet.core.views import healthz


@csrf_exempt
@login_not_required
def api_not_found(request, rest=""):
    return JsonResponse({"detail": "Not found.", "errors": []}, status=404)


urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "i18n/setlang/", login_not_required(second_factor_exempt(set_language)), name="set_language"
    ),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
    path("", include("lgnet.accounts.urls")),
    path("", include("lgnet.network.urls")),
    path("", include("lgnet.people.urls")),
    path("", include("lgnet.cases.urls")),
    path("", include("lgnet.privacy.urls")),
    path("", include("lgnet.housing.urls")),
    path("", include("lgnet.activities.urls")),
    path("", include("lgnet.monitoring.urls")),
    path("", include("lgnet.imports.urls")),
]
