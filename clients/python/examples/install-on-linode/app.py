"""install-on-linode: a small Flask app that lets a visitor pick a plan and a region, sends them
through Linnet's login service for linodes:read_write, checks the granted scopes, then creates
and boots a Debian 12 Linode with the visitor's own token.

Settings (environment): LINNET_API (http://127.0.0.1:8080/v4), LINNET_LOGIN
(http://127.0.0.1:8080), CLIENT_ID, CLIENT_SECRET, APP_URL (where the app is reached, for the
OAuth redirect), SECRET_KEY (signs the session cookie)."""
import os
import secrets

from flask import Flask, redirect, render_template, request, session, url_for

from linode import (ApiError, LinodeClient, LinodeLoginClient, LoginError, OAuthScopes, Region,
                    Type)

IMAGE = "linode/debian12"


def create_app(settings=None):
    app = Flask(__name__, root_path=os.path.dirname(os.path.abspath(__file__)))
    config = {
        "LINNET_API": os.environ.get("LINNET_API", "http://127.0.0.1:8080/v4"),
        "LINNET_LOGIN": os.environ.get("LINNET_LOGIN", "http://127.0.0.1:8080"),
        "CLIENT_ID": os.environ.get("CLIENT_ID", ""),
        "CLIENT_SECRET": os.environ.get("CLIENT_SECRET", ""),
        "APP_URL": os.environ.get("APP_URL", "http://127.0.0.1:5000"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
    }
    config.update(settings or {})
    app.config.update(config)
    # One login client for the app: it keeps each visit's PKCE verifier by its state.
    login = LinodeLoginClient(config["CLIENT_ID"], config["CLIENT_SECRET"],
                              base_url=config["LINNET_LOGIN"])
    public = LinodeClient(None, base_url=config["LINNET_API"])

    def callback_url():
        return config["APP_URL"].rstrip("/") + url_for("callback")

    @app.get("/")
    def index():
        types = public.get_types(Type.memory <= 8192)
        regions = public.get_regions(Region.site_type == "core")
        return render_template("index.html", types=list(types), regions=list(regions))

    @app.post("/deploy")
    def deploy():
        session["type"] = request.form["type"]
        session["region"] = request.form["region"]
        session["state"] = state = secrets.token_urlsafe(16)
        return redirect(login.generate_login_url(scopes=[OAuthScopes.Linodes.read_write],
                                                 redirect_uri=callback_url(), state=state))

    @app.get("/callback")
    def callback():
        state = request.args.get("state")
        if not state or state != session.pop("state", None):
            return render_template("error.html", message="This sign-in was not started here."), 400
        if "error" in request.args:
            return render_template("error.html", message="Access was not granted."), 403
        try:
            token, scopes, _expiry, _refresh = login.finish_oauth(
                request.args.get("code", ""), state=state, redirect_uri=callback_url())
        except LoginError as e:
            return render_template("error.html", message=str(e)), 400
        if not OAuthScopes.covers(scopes, OAuthScopes.Linodes.read_write):
            return render_template("error.html",
                                   message="Creating a Linode needs linodes:read_write."), 403
        client = LinodeClient(token, base_url=config["LINNET_API"])
        try:
            linode, password = client.create_linode(session["type"], session["region"],
                                                    source=IMAGE, booted=True)
        except ApiError as e:
            return render_template("error.html", message=str(e)), 400
        return render_template("success.html", linode=linode, password=password)

    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
