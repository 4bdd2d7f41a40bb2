"""/api/v1/ authentication, tokens, the caller, memberships."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.accounts import selectors, services
from lgnet.accounts.models import Membership
from lgnet.accounts.roles import Role
from lgnet.core.api import ErrorOut, need
from lgnet.network import selectors as network_selectors

router = Router(tags=["accounts"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    otp: str | None = Field(None, max_length=12)
    name: str = Field("", max_length=100)


class TokenOut(Schema):
    token: str
    city: str | None
    role: str
    expires_at: datetime


class TokenInfoOut(Schema):
    id: int
    prefix: str
    name: str
    city: str | None = Field(None, alias="membership.city.slug")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class MembershipOut(Schema):
    id: int
    username: str = Field(alias="user.username")
    full_name: str
    role: Role
    city: str | None = Field(None, alias="city.slug")
    organisation: int | None = Field(None, alias="organisation_id")
    is_active: bool
    capabilities: list[str]

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.user.get_full_name()

    @staticmethod
    def resolve_capabilities(obj) -> list[str]:
        return sorted(obj.capabilities)


class MeOut(Schema):
    username: str
    full_name: str
    membership: MembershipOut
    memberships: list[MembershipOut]


class MembershipIn(Schema):
    username: str = Field(min_length=3, max_length=150, pattern=r"^[\w.@+-]+$")
    role: Role
    organisation: int | None = None
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)


class MembershipPatch(Schema):
    is_active: bool


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, **ERRORS},
    summary="Exchange username, password (and the one-time code) for a bearer token",
)
def token_create(request: HttpRequest, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(
            429, {"detail": _("Too many failed attempts: try again later."), "errors": []}
        )
    if user is None:
        return Status(401, {"detail": _("Wrong username or password."), "errors": []})
    if not settings.LGNET_DEMO:
        if not payload.otp:
            return Status(
                401,
                {
                    "detail": _("The one-time code is required."),
                    "errors": [{"field": "otp", "message": _("Required.")}],
                },
            )
        if services.check_authenticator_code(user=user, code=payload.otp).device is None:
            return Status(
                401,
                {
                    "detail": _("The one-time code is not valid."),
                    "errors": [{"field": "otp", "message": _("Not valid.")}],
                },
            )
    memberships = list(selectors.memberships_of(user))
    wanted = request.headers.get("X-City", "").strip()
    if wanted:
        memberships = [m for m in memberships if m.city and m.city.slug == wanted]
    if not memberships:
        return Status(403, {"detail": _("This user has no active membership there."), "errors": []})
    places = {m.city_id for m in memberships}
    if len(places) > 1:
        return Status(
            400,
            {
                "detail": _("You belong to several cities: name one with the X-City header."),
                "errors": [],
            },
        )
    # Several roles in one place: the token carries the strongest (the roles' table order).
    order = [role.value for role in Role]
    membership = min(memberships, key=lambda m: order.index(m.role))
    secret, token = services.issue_token(membership=membership, name=payload.name)
    return Status(
        200,
        {
            "token": secret,
            "city": membership.city.slug if membership.city else None,
            "role": membership.role,
            "expires_at": token.expires_at,
        },
    )


@router.get("/auth/tokens", response={200: list[TokenInfoOut], **ERRORS}, summary="Your API tokens")
@paginate(LimitOffsetPagination)
def token_list(request: HttpRequest):
    return selectors.tokens_of(request.user)


@router.post("/auth/tokens/{token_id}/revoke", response={200: TokenInfoOut, **ERRORS})
def token_revoke(request: HttpRequest, token_id: int):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=token_id)
    return services.revoke_token(token=token, actor=request.user)


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    summary="The caller, its membership and its capabilities",
)
def me(request: HttpRequest):
    user = request.user
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "membership": request.membership,
        "memberships": list(selectors.memberships_of(user)),
    }


@router.get(
    "/memberships", response={200: list[MembershipOut], **ERRORS}, summary="The users of your city"
)
@paginate(LimitOffsetPagination)
def membership_list(request: HttpRequest):
    need(request, "city.manage")
    return selectors.city_memberships(request.city).select_related("city")


@router.post(
    "/memberships",
    response={201: MembershipOut, **ERRORS},
    summary="Give a user (new or existing) a role in your city",
)
def membership_create(request: HttpRequest, payload: MembershipIn):
    need(request, "city.manage")
    organisation = None
    if payload.organisation is not None:
        organisation = network_selectors.get_organisation_for(request.city, payload.organisation)
    membership = services.add_member(
        actor=request.user,
        city=request.city,
        username=payload.username,
        role=payload.role.value,
        organisation=organisation,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
    )
    return Status(201, membership)


def _membership_for(request: HttpRequest, membership_id: int) -> Membership:
    return get_object_or_404(selectors.city_memberships(request.city), pk=membership_id)


@router.get("/memberships/{membership_id}", response={200: MembershipOut, **ERRORS})
def membership_detail(request: HttpRequest, membership_id: int):
    need(request, "city.manage")
    return _membership_for(request, membership_id)


@router.patch("/memberships/{membership_id}", response={200: MembershipOut, **ERRORS})
def membership_update(request: HttpRequest, membership_id: int, payload: MembershipPatch):
    need(request, "city.manage")
    membership = _membership_for(request, membership_id)
    return services.set_membership_active(
        actor=request.user, membership=membership, is_active=payload.is_active
    )
