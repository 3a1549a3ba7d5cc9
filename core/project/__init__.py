"""The project stage: where a project stands in the lifecycle.

- progress: each stage's done / partly / not-started mark, computed from stored facts.
- packs: workshop packs — which steps a pack of each scenario holds before the stage it starts at.
"""
