"""Workshop packs: how long each loan_approval pack takes to build, step by step.

Run alone with `python -m bench.packs [rows]`: every pack is built into a fresh database in a
temporary folder and its seconds per step printed as a Markdown table.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from core.project.packs import PACK_ROWS, pack_stages, scenario_steps

SCENARIO = "loan_approval"


def build_times(rows: int) -> dict[str, dict[str, float]]:
    """Return stage -> seconds per step ("project" is creating it with its data) of each pack."""
    from storage.db import make_engine
    from storage.packs import build_pack

    times = {}
    with tempfile.TemporaryDirectory() as folder:
        for stage in pack_stages(SCENARIO):
            engine = make_engine(f"sqlite:///{Path(folder) / f'{stage}.db'}")
            built = build_pack(engine, name=f"Pack {stage}", scenario=SCENARIO, stage=stage, n_rows=rows)
            engine.dispose()
            times[stage] = built.seconds
    return times


def markdown(times: dict[str, dict[str, float]]) -> str:
    """Return the timings as a table: one row per pack, one column per step, and the total."""
    steps = ["project", *scenario_steps(SCENARIO)]
    lines = ["| pack starts at | " + " | ".join(steps) + " | total |", "|---" * (len(steps) + 2) + "|"]
    for stage, seconds in times.items():
        cells = [f"{seconds[step]:.1f}" if step in seconds else "" for step in steps]
        lines.append(f"| {stage} | " + " | ".join(cells) + f" | {sum(seconds.values()):.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(build_times(int(sys.argv[1]) if len(sys.argv) > 1 else PACK_ROWS[SCENARIO])))
