"""Staff accounts, for admins: list, create, change role or switch off, reset a password."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth import Permission, acting_user, requires
from app.staff.accounts import services
from app.staff.accounts.forms import AccountEditForm, AccountForm, PasswordResetForm

bp = Blueprint("accounts", __name__, url_prefix="/users")


def _to_index(message: str):
    flash(message)
    return redirect(url_for("staff.accounts.index"), 303)


@bp.get("")
@requires(Permission.MANAGE_ACCOUNTS)
def index():
    return render_template("staff/accounts/index.html", users=services.list_users())


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_ACCOUNTS)
def new():
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data, form.role.data, form.password.data, actor=acting_user()
            )
        except services.AccountExists:
            form.email.errors.append(_("Un compte existe déjà pour cette adresse."))
        else:
            message = _(
                "Le compte %(email)s est créé. Transmettez-lui le mot de passe provisoire "
                "par un autre moyen que l'e-mail ; il pourra le changer.",
                email=user.email,
            )
            return _to_index(message)
    status = 422 if form.is_submitted() else 200
    return render_template("staff/accounts/new.html", form=form), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_ACCOUNTS)
def edit(user_id: int):
    user = services.get_user(user_id)
    form = AccountEditForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_user(
                user.id, role=form.role.data, active=form.active.data, actor=acting_user()
            )
        except services.OwnAccount:
            form.role.errors.append(
                _("Vous ne pouvez pas changer votre propre rôle ni désactiver votre compte.")
            )
        except services.LastAdmin:
            form.role.errors.append(_("Il doit rester au moins un administrateur actif."))
        else:
            return _to_index(_("Le compte %(email)s est modifié.", email=user.email))
    return _edit_page(user, form, PasswordResetForm(formdata=None))


def _edit_page(user, form, reset_form):
    status = 422 if form.errors or reset_form.errors else 200
    return render_template(
        "staff/accounts/edit.html", user=user, form=form, reset_form=reset_form
    ), status


@bp.post("/<int:user_id>/password")
@requires(Permission.MANAGE_ACCOUNTS)
def reset_password(user_id: int):
    user = services.get_user(user_id)
    reset_form = PasswordResetForm()
    if not reset_form.validate_on_submit():
        return _edit_page(user, AccountEditForm(obj=user, formdata=None), reset_form)
    services.reset_password(user.id, reset_form.password.data, actor=acting_user())
    message = _(
        "Le mot de passe de %(email)s est remplacé ; ses sessions ouvertes sont fermées.",
        email=user.email,
    )
    return _to_index(message)
