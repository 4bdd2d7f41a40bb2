"""The versioned REST API: one NinjaAPI, each app adds its router."""

from ninja import NinjaAPI

from lgnet.accounts.api import router as accounts_router
from lgnet.activities.api import router as activities_router
from lgnet.cases.api import router as cases_router
from lgnet.core.api import MembershipAuth, install_error_handlers
from lgnet.housing.api import router as housing_router
from lgnet.imports.api import router as imports_router
from lgnet.monitoring.api import router as monitoring_router
from lgnet.network.api import router as network_router
from lgnet.people.api import router as people_router
from lgnet.privacy.api import router as privacy_router

api = NinjaAPI(
    title="LgNet API",
    version="1",
    urls_namespace="api-v1",
    auth=MembershipAuth(),
    description=(
        "Session or `Authorization: Bearer <token>` (POST /api/v1/auth/token). "
        "Lists answer {items, count}; errors answer {detail, errors: [{field, message}]}. "
        "A user with several memberships names the city with the X-City header."
    ),
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", network_router)
api.add_router("", people_router)
api.add_router("", cases_router)
api.add_router("", privacy_router)
api.add_router("", housing_router)
api.add_router("", activities_router)
api.add_router("", monitoring_router)
api.add_router("", imports_router)
