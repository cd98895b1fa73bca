from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from rfs.accounts.models import Role, User, in_role_order
from rfs.accounts.services import set_roles


class RolesField(forms.MultipleChoiceField):
    """The roles a person holds, as boxes to tick; kept in Role order, each once."""

    def __init__(self, **kwargs) -> None:
        kwargs.pop("base_field", None)
        kwargs.pop("max_length", None)
        super().__init__(
            choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs
        )

    def clean(self, value) -> list[str]:
        return in_role_order(super().clean(value))


class RoleFilter(admin.SimpleListFilter):
    """People holding a role (among others)."""

    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.with_role(self.value())
        return queryset


class UserChangeRolesForm(UserChangeForm):
    roles = RolesField()


class UserCreationRolesForm(AdminUserCreationForm):
    roles = RolesField()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeRolesForm
    add_form = UserCreationRolesForm
    ordering = ("email",)
    list_display = ("email", "name", "roles_display", "is_active", "is_staff", "last_login")
    list_filter = (RoleFilter, "is_active", "is_staff")
    search_fields = ("email", "name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "roles", "time_zone")}),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "name", "roles", "password1", "password2")},
        ),
    )

    @admin.display(description="Roles")
    def roles_display(self, obj: User) -> str:
        return obj.get_roles_display()

    def save_model(self, request, obj, form, change) -> None:
        # The roles change through set_roles, like every other grant, so the security log
        # records it once, in one way: the rest of the form is saved with the roles held now.
        roles = obj.roles
        obj.roles = User.objects.get(pk=obj.pk).roles if change else []
        super().save_model(request, obj, form, change)
        set_roles(user=obj, roles=roles, by=request.user, request=request)
