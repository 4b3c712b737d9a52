from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError


def als_api_fehler(exc: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as a 400 response with the same German messages."""
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"non_field_errors": exc.messages})


def service_aufrufen(service, /, **kwargs):
    """Call a service; its German ValidationError becomes a 400 with the same messages."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise als_api_fehler(exc) from exc
