from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from desk.access import public
from desk.auth.forms import LanguageForm, LoginForm
from desk.auth.services import LoginThrottled, authenticate, end_session, set_locale
from desk.auth.throttle import Limits
from desk.errors import DomainError
from desk.extensions import db
from desk.home import home_endpoint
from desk.security import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data, address=request.remote_addr,
                                limits=Limits.from_config(current_app.config))
        except LoginThrottled as err:
            db.session.rollback()
            form.password.errors.append(err.message)
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(err.seconds)})
        except DomainError as err:
            db.session.commit()  # keep the failure count
            form.password.errors.append(err.message)
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for(home_endpoint(user))))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_session(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
@public
def change_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        set_locale(current_user if current_user.is_authenticated else None, form.locale.data)
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("auth.login")))
