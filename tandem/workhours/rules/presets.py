"""The rule sets a training office starts from; each number can then be changed per
institution or program."""

from tandem.workhours.rules.model import Limits

# ACGME Common Program Requirements (section VI.F): 80 hours a week averaged over four weeks,
# one day in seven free averaged over four weeks, 24 hours of continuous duty plus up to four
# for handover, eight hours off between shifts and fourteen after 24 hours of in-house call.
ACGME = Limits(
    code="acgme",
    max_weekly_hours=80,
    averaging_weeks=4,
    free_days_per_week=1,
    max_continuous_hours=24,
    handover_hours=4,
    min_rest_hours=8,
    long_duty_hours=24,
    rest_after_long_hours=14,
)

# A Chinese training base's own limits (no national numbers are imposed; these are the demo
# base's house rules, decision 107): a shorter week, a shorter handover, twelve hours after a
# 24-hour shift.
CHINA_BASE = Limits(
    code="china",
    max_weekly_hours=60,
    averaging_weeks=4,
    free_days_per_week=1,
    max_continuous_hours=24,
    handover_hours=2,
    min_rest_hours=8,
    long_duty_hours=24,
    rest_after_long_hours=12,
)

PRESETS = {ACGME.code: ACGME, CHINA_BASE.code: CHINA_BASE}
