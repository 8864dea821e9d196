"""The closed code lists of the data contract (DESIGN.md section 3)."""

GENDERS = ("female", "male", "unknown")
AGE_BANDS = ("0-12", "13-18", "19-29", "30-64", "65+")
ACTIVITIES = ("staying", "passing")
ACTIVATIONS = ("none", "art", "event", "park")
INCIDENT_KINDS = (
    "drug_sale",
    "drug_use",
    "conflict",
    "guard_intervention",
    "police_intervention",
    "outreach_contact",
)
ROLES = ("polis", "ungdomsjour", "faltassistent", "ordningsvakt", "other")
CALENDAR_KINDS = ("art", "event", "park", "pilot", "policing")
CRIME_CATEGORIES = (
    "violence",
    "robbery",
    "drug_offences",
    "theft",
    "vandalism",
    "sexual_offences",
    "other",
)
DAYPARTS = ("morning", "afternoon", "evening")
