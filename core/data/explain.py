"""Teaching mode's explanations of the statistics the Datasets page shows (what, why now, how to read)."""

EXPLANATIONS = {
    "rows": (
        "The number of rows (examples) in this version. Size decides the approach: with up to 10,000 rows "
        "(small data, as the profile calls it) every label matters and label consistency is worth more than more data; with millions the "
        "work moves to data pipelines. Compare it with what the task needs, not with an ideal."
    ),
    "columns": (
        "The number of columns, the target and ID included. Each feature column is something the model may "
        "learn from, or leak the answer through. Many columns on few rows is a warning sign: the model can "
        "fit noise."
    ),
    "version": (
        "The version number of this dataset. A change to the data itself (a clean-up, rows added by an "
        "iteration) stores a new version with its parent, never overwriting the old one; labels are kept "
        "apart, by row id. Runs record the version they trained on, so a score traces back to its data."
    ),
    "content_hash": (
        "The SHA-256 of the version's column names, types, row ids and values (the first 12 hex digits "
        "shown). Two versions with the same hash hold the same data, whatever their names; any changed cell "
        "changes it. Runs and audits record it, so you can tell whether a score was made on this data."
    ),
    "missing_cells": (
        "Empty cells over the whole table; the chart shows each column's share of missing rows (missing "
        "cells ÷ rows). Missing values are the first data problem to find: a model imputes or drops them, "
        "and missingness that depends on a group can bias it. A column mostly missing is better dropped."
    ),
    "duplicate_rows": (
        "Rows equal to an earlier row in every column (the row id aside). A few are normal in tabular data; "
        "many suggest a faulty export or join, and a duplicate that lands in both train and test flatters "
        "the test score. Check them before splitting."
    ),
    "class_balance": (
        "How many rows carry each class of the target. It sets what a trivial model scores: with 90% of one "
        "class, always predicting it gives 90% accuracy. With a rare class, read balanced accuracy, recall "
        "and F1 rather than accuracy, and split stratified."
    ),
    "test_share": (
        "The share of rows held back as the test split: what is left after train and dev. The test split is "
        "looked at once, at the end, to estimate performance on new data; too small (under a few hundred "
        "rows) and its estimate is noisy, too large and the model has less to learn from."
    ),
}
