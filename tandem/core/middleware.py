from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class OutOfRangeIdMiddleware:
    """An id in a URL too large for the database (SQLite raises OverflowError) names no row:
    answer 404 like any other missing object, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, OverflowError):
            raise Http404 from exception
        return None


class ApiAnswersJsonMiddleware:
    """Under /api/ every answer is JSON in the API's error shape: an error that did not come
    from the API's own handlers (a method the path does not take, a refusal by a middleware,
    a server error page) is reworded as {"detail": …, "errors": {}} with the same status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return _json_error(response)


def _json_error(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    if status == 405:
        detail = _("This path does not take that method; it takes %(methods)s.") % {
            "methods": response.get("Allow", "")
        }
    elif status == 403:
        detail = _("You do not have permission to do this.")
    elif status == 404:
        detail = _("Not found.")
    elif status >= 500:
        detail = _("Something went wrong on our side; the error is logged. Try again later.")
    else:
        detail = _("The request is malformed.")
    json = JsonResponse({"detail": detail, "errors": {}}, status=status)
    if "Allow" in response:
        json["Allow"] = response["Allow"]
    return json


class NulInQueryMiddleware:
    """A NUL character in a query parameter can name nothing (PostgreSQL refuses to store or
    compare it): answer 400 naming the parameter, on pages and in the API alike, before any
    view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                name = key.replace("\x00", "")
                message = _("Remove the NUL character from the parameter “%(name)s”.") % {
                    "name": name
                }
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": message, "errors": {name: [message]}}, status=400
                    )
                return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
