"""Controlled vocabularies of the catalog, with the labels people read."""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    TECHNOLOGY = "technology"
    HEALTHCARE = "healthcare"
    BUSINESS = "business_management"
    EDUCATION = "education"
    CREATIVE = "creative"
    OTHER = "other"


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"  # a newer version was published
    RETIRED = "retired"


class AssessmentType(StrEnum):
    WRITTEN_EXAM = "written_exam"
    ONLINE_TEST = "online_test"
    PROJECT = "project"
    PORTFOLIO = "portfolio"
    PRACTICAL_DEMONSTRATION = "practical_demonstration"
    ORAL_EXAM = "oral_exam"
    PEER_REVIEW = "peer_review"


class ParticipationMode(StrEnum):
    ONLINE = "online"
    ONSITE = "onsite"
    BLENDED = "blended"


class Pacing(StrEnum):
    SELF_PACED = "self_paced"
    SCHEDULED = "scheduled"


class Supervision(StrEnum):
    """The three levels of the EU Council Recommendation (supervision and identity checks)."""

    UNSUPERVISED = "unsupervised_no_identity_verification"
    SUPERVISED = "supervised_no_identity_verification"
    SUPERVISED_WITH_IDENTITY = "supervised_with_identity_verification"


LABELS: dict[str, str] = {
    Field.TECHNOLOGY: "Technology",
    Field.HEALTHCARE: "Healthcare",
    Field.BUSINESS: "Business & management",
    Field.EDUCATION: "Education",
    Field.CREATIVE: "Creative",
    Field.OTHER: "Other",
    VersionStatus.DRAFT: "Draft",
    VersionStatus.PUBLISHED: "Published",
    VersionStatus.SUPERSEDED: "Superseded",
    VersionStatus.RETIRED: "Retired",
    AssessmentType.WRITTEN_EXAM: "Written exam",
    AssessmentType.ONLINE_TEST: "Online test",
    AssessmentType.PROJECT: "Project",
    AssessmentType.PORTFOLIO: "Portfolio",
    AssessmentType.PRACTICAL_DEMONSTRATION: "Practical demonstration",
    AssessmentType.ORAL_EXAM: "Oral exam",
    AssessmentType.PEER_REVIEW: "Peer-reviewed assignment",
    ParticipationMode.ONLINE: "Online",
    ParticipationMode.ONSITE: "On-site",
    ParticipationMode.BLENDED: "Blended",
    Pacing.SELF_PACED: "Self-paced",
    Pacing.SCHEDULED: "Scheduled",
    Supervision.UNSUPERVISED: "Unsupervised, no identity verification",
    Supervision.SUPERVISED: "Supervised, no identity verification",
    Supervision.SUPERVISED_WITH_IDENTITY: (
        "Supervised online or on-site, with identity verification"
    ),
}

# ISO 639-1 codes offered for teaching languages, with their English names.
LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "fi": "Finnish",
    "da": "Danish",
    "cs": "Czech",
    "el": "Greek",
    "ro": "Romanian",
    "hu": "Hungarian",
    "ga": "Irish",
    "et": "Estonian",
    "lv": "Latvian",
    "lt": "Lithuanian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "hr": "Croatian",
    "bg": "Bulgarian",
    "mt": "Maltese",
    "no": "Norwegian",
    "uk": "Ukrainian",
    "ar": "Arabic",
    "zh": "Chinese",
    "ja": "Japanese",
    "hi": "Hindi",
}


def label(value: str) -> str:
    return LABELS.get(value, value.replace("_", " ").capitalize())
