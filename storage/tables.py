"""Every table of every stage, gathered in one place for metadata creation.

Each stage keeps its tables beside its data access (`storage/<stage>/tables.py`); importing
them all here, in lifecycle order, means the metadata is complete whichever module a caller
imports first (`storage/__init__.py` imports this module), so no mapper or foreign key can
miss a table.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.fields import utc_now
from storage.project.tables import Event, Project
from storage.scoping.tables import PositiveClass, ScopeAnswer, ScopeEffort, Target
from storage.data.tables import Dataset, DatasetBlob, Split
from storage.labeling.tables import (
    Assignment, ClassName, Guideline, Label, LabelBatch, LabelErrorScan, Labeler, LabelResolution, Review,
)
from storage.baselines.tables import Baseline
from storage.modeling.tables import ModelArtifact, Prediction, Promotion, RegistryAlias, Run, TestLook
from storage.errors.tables import SliceDefinition, Tag
from storage.fairness.tables import Audit
from storage.deployment.tables import Deployment, DeploymentEvent, DeploymentSample, DeploymentWindow
from storage.monitoring.tables import Alert, AlertRule, MonitoringSetting, RetrainPolicy

# 2: project names unique ignoring case (project); run numbers per project and the gate's words
# (modeling), and runs can be archived; the positive class of a two-class target (scoping);
# class display names and label-error scans (labeling); tags and saved slices (errors); the audit table (fairness); deployments with their
# events, windows and samples (deployment); alert rules, alerts, settings and the retraining policy
# (monitoring).
SCHEMA_VERSION = 2

__all__ = [
    "SCHEMA_VERSION", "SchemaInfo", "project_tables",
    "Project", "Event", "ScopeAnswer", "ScopeEffort", "Target", "PositiveClass", "Dataset", "DatasetBlob", "Split",
    "Assignment", "ClassName", "Guideline", "Label", "LabelBatch", "Labeler", "LabelResolution", "Review",
    "LabelErrorScan", "Baseline", "ModelArtifact", "Prediction", "Promotion", "RegistryAlias", "Run", "TestLook",
    "SliceDefinition", "Tag", "Audit",
    "Deployment", "DeploymentEvent", "DeploymentSample", "DeploymentWindow",
    "AlertRule", "Alert", "MonitoringSetting", "RetrainPolicy",
]


class SchemaInfo(SQLModel, table=True):
    """The one row that says which schema version wrote the database."""

    __tablename__ = "schema_info"
    id: int = Field(default=1, primary_key=True)
    version: int
    updated_at: datetime = Field(default_factory=utc_now)


def project_tables() -> list:
    """Return the tables that carry a project_id, parents before children."""
    return [t for t in SQLModel.metadata.sorted_tables if "project_id" in t.c]
