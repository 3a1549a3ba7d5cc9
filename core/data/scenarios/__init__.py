"""Demo scenarios: seeded generated datasets with the truth planted in them recorded.

Each scenario module holds its generator and a ``SPEC``; the registry below maps a
scenario's name to that spec, so adding a scenario is one module and one line here.
Text columns (categorical features, text targets) are pandas ``category`` dtype.
"""

from __future__ import annotations

from core.data.scenarios import breast_cancer, digits, loan_approval
from core.data.scenarios.base import ParamSpec, Scenario, ScenarioSpec, check_params

__all__ = ["SCENARIOS", "ParamSpec", "Scenario", "ScenarioSpec", "generate_scenario"]

ERR_UNKNOWN_SCENARIO = "Unknown scenario {name!r}; choose one of: {names}."

SCENARIOS: dict[str, ScenarioSpec] = {
    loan_approval.SPEC.name: loan_approval.SPEC,
    digits.SPEC.name: digits.SPEC,
    breast_cancer.SPEC.name: breast_cancer.SPEC,
}


def generate_scenario(name: str, **params) -> Scenario:
    """Return the named scenario generated with the given parameters (defaults elsewhere).

    Raises ValueError naming the valid choices for an unknown scenario or parameter,
    and the valid range for a value outside it.
    """
    if name not in SCENARIOS:
        raise ValueError(ERR_UNKNOWN_SCENARIO.format(name=name, names=", ".join(SCENARIOS)))
    spec = SCENARIOS[name]
    return spec.generator(**check_params(name, spec.params, params))
