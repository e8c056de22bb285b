from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse


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
