"""The closed code lists that every study shares (docs/data-contract.md).

Everything that differs between studies (zones, activation kinds, roles of
the professionals, incident kinds, crime categories, age bands, areas) comes
from the data folder's ``study.yaml`` (:mod:`evaluation.sources.study`).
"""

__all__ = ["GENDERS", "ACTIVITIES", "NO_ACTIVATION", "CO_INTERVENTIONS", "DAYPARTS"]


GENDERS = ("female", "male", "unknown")
ACTIVITIES = ("staying", "passing")
#: The activation state of a session without activation.
NO_ACTIVATION = "none"
#: Calendar kinds that every study may use besides its activation kinds (co-interventions).
CO_INTERVENTIONS = ("policing",)
DAYPARTS = ("morning", "afternoon", "evening")
