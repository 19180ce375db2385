"""The kinds of durable job (`job.kind`): what must happen at a time. One name for each, so
the code that schedules a job and the code that runs it cannot drift apart."""

from __future__ import annotations

from enum import StrEnum


class JobKind(StrEnum):
    CONTACT_EVE = "contact_eve"  # the patient, the day before a contact
    CONTACT_DAY = "contact_day"  # the patient, on the day
    CONTACT_MISSED = "contact_missed"  # the coordinator, when a contact is not recorded done
    NUDGE = "nudge"  # the patient, after days away from an active module
    IDLE_NOTICE = "idle_notice"  # the coordinator, when a nudge did not bring them back
    PAUSE_REMINDER = "pause_reminder"  # the patient, who asked at a pause
    DIGEST = "digest"  # the unit, each morning
    MAINTENANCE_WARNING_1 = "maintenance_warning_1"
    MAINTENANCE_WARNING_2 = "maintenance_warning_2"
    MAINTENANCE_END = "maintenance_end"  # the program ends and its content is deleted
    CONSENT_RENEWAL = "consent_renewal"
    CONSENT_LAPSE = "consent_lapse"
    PLAN_REVIEW = "plan_review"  # the coordinators, on the plan's first follow-up day
    NO_PLAN_NOTICE = "no_plan_notice"  # the unit, weekly: sick leave over 30 days, no plan


CONTACT_JOBS = (JobKind.CONTACT_EVE, JobKind.CONTACT_DAY, JobKind.CONTACT_MISSED)
NUDGE_JOBS = (JobKind.NUDGE, JobKind.PAUSE_REMINDER)
MAINTENANCE_JOBS = (
    JobKind.MAINTENANCE_WARNING_1,
    JobKind.MAINTENANCE_WARNING_2,
    JobKind.MAINTENANCE_END,
)
CONSENT_JOBS = (JobKind.CONSENT_RENEWAL, JobKind.CONSENT_LAPSE)
