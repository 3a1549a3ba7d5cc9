"""Deployment: plan and replay a rollout of a candidate against the running side, and choose the automation."""

import streamlit as st

from pages.components.deployment.automation import automation_tab
from pages.components.deployment.jobs import replays_panel
from pages.components.deployment.plan import plan_tab
from pages.components.deployment.results import replays_tab
from pages.components.frame import page_setup, require_project
from pages.components.resources import db_session
from storage.deployment.sheet import load_deployment_sheet

EXPERIMENTS_PAGE = "pages/5_experiments.py"

context = page_setup("Deployment", icon=":material/rocket_launch:")
project = require_project(context)
replays_panel(project.id)
with db_session() as session:
    sheet = load_deployment_sheet(session, project.id)
if sheet.champion is None:
    st.info("This project has no champion model yet, so there is nothing to deploy and nothing to compare a "
            "candidate with. Train a model and promote it to champion on the Experiments page.",
            icon=":material/info:")
    st.page_link(EXPERIMENTS_PAGE, label="Go to Experiments", icon=":material/arrow_forward:")
    st.stop()

plan, replays, automation = st.tabs(["Plan", "Replays", "Automation"], key="dep.tab", on_change="rerun")
with plan:
    candidate = plan_tab(project.id, sheet)
with replays:
    replays_tab(project.id, sheet)
with automation:
    automation_tab(sheet, candidate or sheet.champion.id)
