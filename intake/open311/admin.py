"""Administrators' pages for API clients: list, create (the key is shown once), revoke."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from desk.access import find_in_scope, get_in_scope, require_roles, scope_clause
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.models import Channel, Level, OrgUnit, Role
from intake import bp
from intake.open311 import services
from intake.open311.forms import ApiClientForm
from intake.open311.models import ApiClient


def _unit_choices():
    units = db.session.scalars(sa.select(OrgUnit).where(scope_clause(OrgUnit, current_user),
                                                        OrgUnit.level.in_([Level.city, Level.county]))
                               .order_by(OrgUnit.code))
    return [("", "—")] + [(u.id, u.name) for u in units]


@bp.route("/api-clients")
@require_roles(Role.admin)
def api_clients():
    clients = list(db.session.scalars(ApiClient.scoped(current_user).limit(500)))
    return render_template("intake/open311/clients.html", clients=clients, revoke_form=FlaskForm())


@bp.route("/api-clients/new", methods=["GET", "POST"])
@require_roles(Role.admin)
def new_api_client():
    form = ApiClientForm()
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        unit = find_in_scope(OrgUnit, form.unit_id.data, current_user)
        if unit is None:
            form.unit_id.errors.append(_("Choose the county (or city) it submits for."))
        else:
            try:
                client, key = services.create_client(actor=current_user, name=form.name.data, unit=unit,
                                                     channel=Channel(form.channel.data))
            except DomainError as err:
                db.session.rollback()
                show_on_form(form, err)
            else:
                db.session.commit()
                # The key is on this answer only: it is stored hashed and never shown again.
                return render_template("intake/open311/created.html", client=client, key=key)
    return render_template("intake/open311/client_form.html", form=form)


@bp.route("/api-clients/<api_client_id>/revoke", methods=["POST"])
@require_roles(Role.admin)
def revoke_api_client(api_client_id):
    client = get_in_scope(ApiClient, api_client_id, current_user)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.revoke_client(client, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
    else:
        db.session.commit()
        flash(_("The key of %(name)s is revoked.", name=client.name), "success")
    return redirect(url_for("intake.api_clients"))
