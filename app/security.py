"""Response headers that let the pages run under a strict policy; the client behind proxies."""

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


#: No page may use these; the door's screen alone may use the camera, from our origin.
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
DOOR_PERMISSIONS = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
CAMERA_ENDPOINTS = {"checkin.screen"}
#: A year, subdomains included: once seen over HTTPS, never over HTTP again.
HSTS = "max-age=31536000; includeSubDomains"
PRIVATE_PATHS = ("/t/", "/m/", "/staff", "/api/")


def init_app(app) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # The client's address and scheme as the proxies in front of us saw them (the login
        # throttle keys on the client). Only that many hops are believed: more is forgery.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    production = app.config["APP_ENV"] == "production"

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        door = request.endpoint in CAMERA_ENDPOINTS
        headers.setdefault("Permissions-Policy", DOOR_PERMISSIONS if door else PERMISSIONS)
        if production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if request.path.startswith(PRIVATE_PATHS):
            # Tickets, management pages, staff pages and the API: personal data, never stored
            # by a shared browser, a proxy or the ministry's gateway.
            headers["Cache-Control"] = "no-store"
        return response
