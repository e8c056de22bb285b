from django.core.management.base import BaseCommand
from django.db import transaction

from tandem.accounts import demo as accounts_demo
from tandem.agreements import demo as agreements_demo
from tandem.alerts import demo as alerts_demo
from tandem.assessments import demo as assessments_demo
from tandem.assessments import demo_completion as completion_demo
from tandem.bookings import demo as bookings_demo
from tandem.conduct import demo as conduct_demo
from tandem.cultivation import demo as cultivation_demo
from tandem.evaluations import demo as evaluations_demo
from tandem.faculty import demo as faculty_demo
from tandem.feedback import demo as feedback_demo
from tandem.funds import demo as funds_demo
from tandem.logbook import demo as logbook_demo
from tandem.meetings import demo as meetings_demo
from tandem.milestones import demo as milestones_demo
from tandem.plans import demo as plans_demo
from tandem.portal import demo
from tandem.portal.views_feed import FEED_SOURCES
from tandem.publications import demo as publications_demo
from tandem.quality import demo as quality_demo
from tandem.residency import demo as residency_demo
from tandem.rewards import demo as rewards_demo
from tandem.teaching import demo as teaching_demo
from tandem.visits import demo as visits_demo
from tandem.wellbeing import demo as wellbeing_demo
from tandem.workhours import demo as workhours_demo

# Each app adds its part of the demo consortium on top of the one before; each step does
# nothing when its part is already there, so running the command again changes nothing.
APP_DEMOS = [
    ("agreement attachments", agreements_demo.load_demo),
    ("joint cultivations", cultivation_demo.load_demo),
    ("training plans and milestones", plans_demo.load_demo),
    ("research funds and ledgers", funds_demo.load_demo),
    ("publications", publications_demo.load_demo),
    ("bookings of shared instruments", bookings_demo.load_demo),
    ("progress debriefings and mentoring log", meetings_demo.load_demo),
    ("feedback items and seminars", feedback_demo.load_demo),
    ("evaluation templates and an open round", evaluations_demo.load_demo),
    ("wellbeing officers and check-ins", wellbeing_demo.load_demo),
    ("discipline cases under the regulations", conduct_demo.load_demo),
    ("reward rounds, an award in its objection period and a final one", rewards_demo.load_demo),
    ("early warnings and notifications", alerts_demo.load_demo),
    ("residency rotations and published schedules", residency_demo.load_demo),
    ("case and procedure logs", logbook_demo.load_demo),
    ("work hours and their rule sets", workhours_demo.load_demo),
    ("teaching activities and attendance", teaching_demo.load_demo),
    ("exchange visits between the hospitals", visits_demo.load_demo),
    ("rotation-end assessments and WBAs", assessments_demo.load_demo),
    ("teachers: profiles, training, plans and responsible teachers", faculty_demo.load_demo),
    ("competency committee and milestone reviews", milestones_demo.load_demo),
    ("annual assessments and completion eligibility", completion_demo.load_demo),
    ("base standards, supervision and a self-assessment", quality_demo.load_demo),
    # After the others: its requirement refuses new tutors without the course.
    ("tutor training requirements and insurance", cultivation_demo.load_training_requirement_demo),
    # Last: who has a calendar is known once every calendar's events are there.
    ("calendar feeds", lambda: accounts_demo.load_calendar_feeds(FEED_SOURCES)),
]


class Command(BaseCommand):
    help = "Load the fictional demo consortium (deterministic; does nothing if already loaded)."

    def handle(self, *args, **options) -> None:
        if demo.already_loaded():
            self.stdout.write("The demo consortium is already loaded.")
        else:
            demo.load_demo()
            self.stdout.write(self.style.SUCCESS("Loaded the demo consortium."))
        for label, load in APP_DEMOS:
            with transaction.atomic():
                load()
            self.stdout.write(f"  … {label}")
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for login in demo.demo_logins():
            self.stdout.write(f"  {login.username:<18} {login.role:<26} {login.where}")
        for username, role, where in wellbeing_demo.demo_logins():
            self.stdout.write(f"  {username:<18} {role:<26} {where}")
