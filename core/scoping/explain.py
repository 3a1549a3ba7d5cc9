"""Teaching mode's explanations of the statistics the Scoping page shows (what, why now, how to read)."""

EXPLANATIONS = {
    "completeness": (
        "The share of the seven-step checklist's items marked done or not applicable. Scoping is where the "
        "targets every later stage is judged by are set, so a gap here is a question nobody answered before "
        "the money was spent. Read it with the items' answers: 100% of empty answers is worth nothing."
    ),
}
