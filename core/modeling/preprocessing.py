"""The Experiments pipeline's preprocessing: the shared feature plan and encoders of `core.features`.

Labeling's models use the same plan, so the decision of how a column is encoded lives at the
top of core, where both stages can read it without importing each other.
"""

from core.features import (  # noqa: F401  (re-exported for the modeling stage)
    EXCLUDED_REASONS, MISSING_FEATURES, NO_FEATURES, NOT_SENSITIVE, NUMERIC_KINDS, ROLE_REASONS, UNKNOWN_STYLE,
    FeaturePlan, InputStyle, build_preprocessor, feature_frame, plan_features,
)
