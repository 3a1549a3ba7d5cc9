"""Teaching mode's explanations of the statistics the Deployment page shows (what, why now, how to read).

The canary's error-rate check is `core.deployment.analysis` (Newcombe's interval), the automation
curve `core.deployment.automation`.
"""

EXPLANATIONS = {
    "canary_margin": (
        "At each analysis the lower bound of Newcombe's hybrid score interval (Wilson bounds on each side) "
        "for the candidate's error rate minus the running model's is computed; the step fails and rolls "
        "back only when that bound lies above the margin. The 5% chance of a false alarm is split over the "
        "rollout's analyses (Bonferroni). A margin of 0 rolls back a candidate shown worse at all; a wide "
        "one lets a worse model through."
    ),
    "requests_replayed": (
        "Requests of the simulated production stream sent through the deployment. Every number of the "
        "replay rests on them; the error rates only on those whose true labels have arrived."
    ),
    "served_by_candidate": (
        "Requests answered with the candidate's prediction. In shadow mode that stays 0: the candidate "
        "answers a copy of every request and nobody sees it. A canary raises its share along the ramp "
        "(10 → 25 → 50 → 100% by default), so a bad model reaches few users before an analysis stops it."
    ),
    "candidate_share": (
        "The share of traffic the candidate had when the replay ended: 100% after a completed rollout, 0% "
        "after a rollback or in shadow mode. Read it with the timeline, which says which analysis decided."
    ),
    "sent_to_person": (
        "Requests routed to a person because the model's confidence was at or below the automation "
        "threshold (all of them when people decide every case). It is the labour cost the automation "
        "setting keeps."
    ),
    "replay_chart": (
        "The candidate's share of traffic and each side's error rate, window by window, with the rollout's "
        "decisions marked. Error rates of a window rest on its labelled requests only: a jump on few labels "
        "is noise, which is why the analysis uses an interval."
    ),
    "shadow_agreement": (
        "The share of requests on which the shadow model predicted what the champion predicted. Shadow mode "
        "costs users nothing; low agreement says where the two differ, and the labels then say who was "
        "right."
    ),
    "shadow_verdicts": (
        "On the requests where the two sides disagreed and the true label has arrived: how often the "
        "champion was right, the challenger, or neither. These are the only requests that tell the models "
        "apart; a challenger right more often there is the better one."
    ),
    "automation_rate": (
        "The share of cases the model decides alone at this confidence threshold: those whose confidence "
        "(the probability of its predicted class) is above it. The rest go to a person."
    ),
    "automation_error_rate": (
        "The expected error rate of the whole process: the model's errors on the automated cases plus, on "
        "the others, a person's error rate (1 − the measured human-level accuracy), over all cases."
    ),
    "cost_per_case": (
        "Share sent to a person × the review cost + expected error rate × the error cost, per case. Both "
        "costs are yours to set; the curve shows where automation pays."
    ),
    "cheapest_threshold": (
        "The confidence threshold with the lowest cost per case on the dev predictions. Start there, then "
        "move it if the error rate it brings is not acceptable whatever the cost."
    ),
}
