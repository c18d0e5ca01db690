"""Counts what the server saw, for the tests (read over the control channel)."""
import threading

STATS = {"logins": 0, "refreshesAccepted": 0, "refreshesRefused": 0, "resourceOk": 0, "resourceRefused": 0, "logouts": 0}
_lock = threading.Lock()

_ROUTES = {
    "/api/token/": ("logins", None),
    "/api/token/refresh/": ("refreshesAccepted", "refreshesRefused"),
    "/api/token/blacklist/": ("logouts", None),
    "/api/me/": ("resourceOk", "resourceRefused"),
}


class CountingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        ok, refused = _ROUTES.get(request.path, (None, None))
        key = ok if response.status_code == 200 else refused
        if key:
            with _lock:
                STATS[key] += 1
        return response
