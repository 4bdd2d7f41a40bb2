from django.urls import path

from lgnet.housing import views

app_name = "housing"

C = "c/<slug:city_slug>/housing/"

urlpatterns = [
    path(C, views.home, name="home"),
    path(C + "facilities/new/", views.facility_create, name="facility_create"),
    path(C + "facilities/<int:pk>/", views.facility_detail, name="facility_detail"),
    path(C + "facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path(C + "facilities/<int:pk>/rooms/", views.room_add, name="room_add"),
    path(C + "facilities/<int:pk>/beds/", views.bed_add, name="bed_add"),
    path(C + "facilities/<int:pk>/board/", views.board, name="board"),
    path(C + "beds/<int:pk>/", views.bed_edit, name="bed_edit"),
    path(
        C + "facilities/<int:pk>/out-of-service/",
        views.out_of_service_add,
        name="out_of_service_add",
    ),
    path(
        C + "facilities/<int:pk>/out-of-service/end/",
        views.out_of_service_end,
        name="out_of_service_end",
    ),
    path(C + "free-beds/", views.free_beds, name="free_beds"),
    path(C + "occupancy/", views.occupancy, name="occupancy"),
    path(C + "placements/", views.placement_list, name="placement_list"),
    path(C + "placements/new/", views.placement_create, name="placement_create"),
    path(C + "placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path(C + "placements/<int:pk>/move/", views.placement_move, name="placement_move"),
    path(C + "placements/<int:pk>/extend/", views.placement_extend, name="placement_extend"),
    path(C + "placements/<int:pk>/end/", views.placement_end, name="placement_end"),
    path(C + "waiting-list/", views.waiting_list, name="waiting_list"),
    path(C + "requests/new/", views.request_create, name="request_create"),
    path(C + "requests/<int:pk>/", views.request_detail, name="request_detail"),
    path(C + "requests/<int:pk>/offer/", views.request_offer, name="request_offer"),
    path(C + "requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path(C + "landlords/", views.landlord_list, name="landlord_list"),
    path(C + "landlords/new/", views.landlord_create, name="landlord_create"),
    path(C + "landlords/<int:pk>/", views.landlord_detail, name="landlord_detail"),
    path(C + "landlords/<int:pk>/edit/", views.landlord_edit, name="landlord_edit"),
    path(C + "landlords/<int:pk>/properties/", views.property_add, name="property_add"),
    path(C + "landlords/<int:pk>/mediations/", views.mediation_add, name="mediation_add"),
    path(C + "rent-supports/", views.rent_list, name="rent_list"),
    path(C + "rent-supports/new/", views.rent_create, name="rent_create"),
    path(C + "rent-supports/<int:pk>/", views.rent_detail, name="rent_detail"),
    path(C + "rent-supports/<int:pk>/payments/", views.payment_add, name="payment_add"),
    path(C + "persons/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(C + "autonomy/", views.autonomy, name="autonomy"),
]
