from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.accounts import permissions, selectors, services, services_import
from tandem.accounts.forms import (
    InviteForm,
    MembershipAddForm,
    MembershipEndForm,
    PeopleFilterForm,
    PeopleImportForm,
    SettingsForm,
    TokenCreateForm,
    TraineeProfileForm,
    TutorProfileForm,
)
from tandem.accounts.importing import ImportRejected, template_workbook
from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.imports.rules import runs_in_background
from tandem.institutions.selectors import (
    institution_in_reach_or_none,
)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_settings_update(
                actor=request.user,
                user=request.user,
                **{f: form.cleaned_data[f] for f in services.SETTINGS_FIELDS},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            translation.activate(request.user.preferred_language)
            messages.success(request, _("Your settings are saved."))
            response = redirect("accounts:settings")
            from django.conf import settings

            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.preferred_language)
            return response
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "token_form": TokenCreateForm(),
            "tokens": selectors.api_token_list_for(request.user),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    new_key = None
    if form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return render(
        request,
        "accounts/settings.html",
        {
            "form": SettingsForm(instance=request.user),
            "token_form": TokenCreateForm() if new_key else form,
            "tokens": selectors.api_token_list_for(request.user),
            "new_key": new_key,
        },
        status=200 if new_key or form.is_valid() else 400,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get_for_user_or_404(request.user, pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:settings")


# --- People ---------------------------------------------------------------------------------------


def _check_institution_access(user: Any, raw_id: str | None) -> None:
    """404 for an institution out of the user's reach, 403 for one they may see but not manage;
    runs before the form, so that choices narrowed to the user's institutions do not turn an
    outsider's request into a form error."""
    if not raw_id:
        return
    try:
        institution_id = int(raw_id)
    except ValueError:
        return  # the form reports it
    if institution_in_reach_or_none(user, institution_id) is None:
        raise Http404
    if not permissions.can_manage_people_at(user, institution_id):
        raise PermissionDenied(_("Only a coordinator of that institution can do this."))


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None, user=request.user)
    queryset = selectors.person_list_visible_to(request.user)
    if form.is_valid():
        institution = form.cleaned_data.get("institution")
        queryset = selectors.person_filter(
            queryset,
            institution_id=institution.pk if institution else None,
            role=form.cleaned_data.get("role") or None,
            search=form.cleaned_data.get("q") or "",
        )
    context = {
        "form": form,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "can_invite": permissions.can_manage_people_somewhere(request.user),
    }
    template = "accounts/_people_rows.html" if request.htmx else "accounts/people.html"
    return render(request, template, context)


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user_or_404(request.user, pk)
    private = permissions.can_view_private_details(request.user, person)
    can_edit = permissions.can_edit_person(request.user, person)
    memberships = list(selectors.person_memberships(person))
    for membership in memberships:
        membership.can_end = membership.is_active and permissions.can_end_membership(
            request.user, membership
        )
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            **selectors.person_profile_parts(person),
            "show_private": private,
            "can_edit": can_edit,
            "can_add_membership": permissions.can_add_membership(request.user, person),
            "history": audit_history(person)[:50] if private else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_people_somewhere(request.user):
        raise PermissionDenied(_("Only coordinators can invite people."))
    _check_institution_access(request.user, request.POST.get("institution"))
    form = InviteForm(
        request.POST or None,
        user=request.user,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_invite(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                institution=data["institution"],
                role=data["role"],
                unit=data["unit"],
                language=data["language"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s is invited.") % {"name": person})
            return redirect("accounts:person_detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/person_invite.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user_or_404(request.user, pk)
    if not permissions.can_add_membership(request.user, person):
        raise PermissionDenied(_("Only coordinators can give roles."))
    _check_institution_access(request.user, request.POST.get("institution"))
    form = MembershipAddForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_add(
                actor=request.user,
                user=person,
                role=data["role"],
                institution=data["institution"],
                unit=data["unit"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The role is added."))
            return redirect("accounts:person_detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/membership_add.html", {"form": form, "person": person}, status=status
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_user_or_404(request.user, pk)
    if not permissions.can_end_membership(request.user, membership):
        raise PermissionDenied(_("Only a coordinator of this institution can end this role."))
    form = MembershipEndForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.membership_end(actor=request.user, membership=membership, reason=reason)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The role has ended."))
    return redirect("accounts:person_detail", pk=membership.user_id)


@login_required
@require_http_methods(["GET", "POST"])
def trainee_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied(_("Only a coordinator of this person's institution can do this."))
    profile = selectors.person_profile_parts(person)["trainee_profile"]
    institutions = [m.institution for m in person.active_memberships if m.institution]
    institutions = list({i.pk: i for i in institutions}.values())
    initial: dict[str, Any] = {}
    if profile:
        initial = {"kind": profile.kind, "cohort": profile.cohort, "specialty": profile.specialty}
        initial.update(
            {f"number_{n.institution_id}": n.number for n in profile.student_numbers.all()}
        )
    form = TraineeProfileForm(request.POST or None, initial=initial, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trainee_profile_save(
                actor=request.user,
                user=person,
                kind=data["kind"],
                cohort=data["cohort"],
                specialty=data["specialty"],
                student_numbers=form.student_numbers(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The trainee profile is saved."))
            return redirect("accounts:person_detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/profile_form.html",
        {
            "form": form,
            "person": person,
            "heading": _("Trainee profile"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tutor_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied(_("Only a coordinator of this person's institution can do this."))
    profile = selectors.person_profile_parts(person)["tutor_profile"]
    initial: dict[str, Any] = {"annual_quota": 3, "qualification": "master"}
    if profile:
        initial = {f: getattr(profile, f) for f in services.PROFILE_TUTOR_FIELDS}
    form = TutorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tutor_profile_save(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The tutor profile is saved."))
            return redirect("accounts:person_detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/profile_form.html",
        {
            "form": form,
            "person": person,
            "heading": _("Tutor profile"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_people_somewhere(request.user):
        raise PermissionDenied(_("Only coordinators can import people."))
    _check_institution_access(request.user, request.POST.get("institution"))
    form = PeopleImportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
    )
    row_errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if runs_in_background(upload.size):
            job = services_import.people_import_job_start(
                actor=request.user,
                institution=form.cleaned_data["institution"],
                file_name=upload.name,
                content=services_import.read_upload(upload),
            )
            return redirect("imports:job_detail", pk=job.pk)
        try:
            summary = services.people_import(
                actor=request.user,
                institution=form.cleaned_data["institution"],
                file=form.cleaned_data["file"],
            )
        except ImportRejected as exc:
            row_errors = exc.row_errors
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Imported %(total)s people: %(invited)s invited, %(added)s already had an "
                    "account and got the role."
                )
                % {
                    "total": summary.total,
                    "invited": len(summary.invited),
                    "added": len(summary.roles_added),
                },
            )
            url = reverse("accounts:people")
            return redirect(f"{url}?institution={form.cleaned_data['institution'].pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/people_import.html",
        {"form": form, "row_errors": row_errors},
        status=status,
    )


@login_required
@require_GET
def people_import_template(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_people_somewhere(request.user):
        raise PermissionDenied(_("Only coordinators can import people."))
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="tandem-people-import.xlsx"'
    return response
