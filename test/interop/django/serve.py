"""Runs the Django project on 127.0.0.1 (a port the system picks) for the interop tests.

Protocol (the same as the Node backends): one JSON line {"type": "ready", ...} on stdout once it listens, then JSON
commands on stdin ({"id": 1, "cmd": "advance", "seconds": 61}) answered on stdout; it exits when stdin closes.

The server's clock is movable: time.time, and the datetime that SimpleJWT (rest_framework_simplejwt.utils) and PyJWT
(jwt.api_jwt) read, are the real clock plus an offset. They are patched before Django loads anything.
"""
import datetime as _datetime
import json
import os
import sys
import tempfile
import threading
import time

_offset = 0.0
_real_time = time.time


def _now():
    return _real_time() + _offset


time.time = _now


class ShiftedDatetime(_datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return _datetime.datetime.fromtimestamp(_now(), tz)

    @classmethod
    def utcnow(cls):
        return _datetime.datetime.utcfromtimestamp(_now())


protocol = sys.stdout
sys.stdout = sys.stderr
_write_lock = threading.Lock()


def send(message):
    with _write_lock:
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()


def main():
    global _offset
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if "INTEROP_DJANGO_DB" not in os.environ:  # the test harness passes one in a temporary folder it removes
        os.environ["INTEROP_DJANGO_DB"] = os.path.join(tempfile.mkdtemp(prefix="tokenrail-django-"), "db.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interop_site.settings")

    import django

    django.setup()

    import jwt.api_jwt
    import rest_framework_simplejwt.utils

    jwt.api_jwt.datetime = ShiftedDatetime
    rest_framework_simplejwt.utils.datetime = ShiftedDatetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    username, password = "alice", "secret-password"
    get_user_model().objects.create_user(username=username, password=password)

    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.wsgi import get_wsgi_application

    from interop_site.counters import STATS

    class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Handler(WSGIRequestHandler):
        def log_message(self, format, *args):
            if os.environ.get("INTEROP_SERVER_LOGS"):
                sys.stderr.write("%s\n" % (format % args))

    httpd = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=ThreadingWSGIServer, handler_class=Handler)
    origin = "http://127.0.0.1:%d" % httpd.server_port

    def commands():
        global _offset
        for line in sys.stdin:
            message = json.loads(line)
            try:
                cmd = message["cmd"]
                if cmd == "advance":
                    if message["seconds"] < 0:
                        raise ValueError("the clock only moves forward")
                    _offset += message["seconds"]
                    result = {"now": _now() * 1000}
                elif cmd == "now":
                    result = {"now": _now() * 1000}
                elif cmd == "stats":
                    result = dict(STATS)
                else:
                    raise ValueError("unknown command %s" % cmd)
                send({"type": "reply", "id": message.get("id"), "result": result})
            except Exception as error:  # noqa: BLE001 - every failure goes back to the caller
                send({"type": "reply", "id": message.get("id"), "error": repr(error)})
        os._exit(0)

    threading.Thread(target=commands, daemon=True).start()
    send(
        {
            "type": "ready",
            "pid": os.getpid(),
            "authBaseURL": origin,
            "resourceURL": origin + "/api/me/",
            "credentials": {"username": username, "password": password},
            "accessTokenTtl": 60,
        }
    )
    httpd.serve_forever()


if __name__ == "__main__":
    main()
