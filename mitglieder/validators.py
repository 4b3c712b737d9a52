"""Field validators with German messages."""

from django.core.exceptions import ValidationError
from stdnum.de import leitweg
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def validate_leitweg_id(value: str) -> None:
    """Leitweg-ID per KoSIT format spec 2.0.2: coarse address, optional fine address,
    two check digits (ISO 7064 MOD 97-10), parts separated by hyphens."""
    try:
        leitweg.validate(value)
    except InvalidChecksum as exc:
        raise ValidationError(
            "Die Prüfziffer der Leitweg-ID „%(wert)s“ stimmt nicht (ISO 7064 MOD 97-10).",
            code="leitweg_pruefziffer",
            params={"wert": value},
        ) from exc
    except InvalidLength as exc:
        raise ValidationError(
            "Die Leitweg-ID „%(wert)s“ hat eine ungültige Länge (5 bis 46 Zeichen).",
            code="leitweg_laenge",
            params={"wert": value},
        ) from exc
    except InvalidComponent as exc:
        raise ValidationError(
            "Die Leitweg-ID „%(wert)s“ beginnt nicht mit einer gültigen Kennzahl "
            "eines Landes (01–16) oder des Bundes (99).",
            code="leitweg_kennzahl",
            params={"wert": value},
        ) from exc
    except StdnumError as exc:
        raise ValidationError(
            "Die Leitweg-ID „%(wert)s“ hat nicht das Format Grobadressierung-"
            "Feinadressierung-Prüfziffer, z. B. 16051000-12345-67.",
            code="leitweg_format",
            params={"wert": value},
        ) from exc
