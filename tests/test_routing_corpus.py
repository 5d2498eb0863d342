"""Who takes each typed message: commands go to the feature whose button does the same, never to a search of
the framework, and questions go to question answering. The expectations are written by hand."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import build_router
from bot.core import Context

ANSWERING = {"assessment": 12}  # an assessment being answered in this conversation
CONFIRMING = {"privacy.confirm": '{"person": 1, "issued": "2030-01-01T00:00:00+00:00"}'}

# (what is typed, the conversation's state, the claim that must take it)
CORPUS: list[tuple[str, dict[str, Any], str]] = [
    # Privacy
    ("export my data", {}, "privacy.export"),
    ("Could you download my data please?", {}, "privacy.export"),
    ("what do you know about me", {}, "privacy.export"),
    ("delete my data", {}, "privacy.erase"),
    ("please forget me", {}, "privacy.erase"),
    ("who am I?", {}, "privacy.whoami"),
    ("yes, delete my data", CONFIRMING, "privacy.confirm"),
    ("yes", CONFIRMING, "privacy.confirm"),
    ("cancel", CONFIRMING, "privacy.confirm"),
    ("no thanks", CONFIRMING, "privacy.confirm"),
    # A finished assessment's buttons, typed
    ("share with my manager", {}, "assessment.share"),
    ("Share my self-assessment with my line manager.", {}, "assessment.share"),
    ("share it", {}, "assessment.share"),
    ("stop sharing", {}, "assessment.unshare"),
    ("stop sharing it with my manager", {}, "assessment.unshare"),
    ("unshare", {}, "assessment.unshare"),
    ("my manager's view", {}, "assessment.managers-view"),
    ("side by side", {}, "assessment.managers-view"),
    ("add my view", {}, "assessment.review"),
    ("add my view for Ana Costa", {}, "assessment.review"),
    ("edit my view of ana's assessment", {}, "assessment.review"),
    ("review ana costa", {}, "assessment.review"),
    ("accept the suggestions", {}, "assessment.accept"),
    ("accept suggestions", {}, "assessment.accept"),
    ("show my last assessment", {}, "assessment.latest"),
    ("my results", {}, "assessment.latest"),
    ("start a new one", {}, "assessment.start-afresh"),
    ("start a new assessment", {}, "assessment.start-afresh"),
    ("download as csv", {}, "assessment.download-typed"),
    ("download it as word", {}, "assessment.download-typed"),
    ("download my assessment as csv", {}, "assessment.download"),
    ("my development plan", {}, "assessment.plan"),
    ("edit my plan", {}, "assessment.plan"),
    ("my team", {}, "assessment.team"),
    ("show my reports", {}, "assessment.team"),
    ("show ana costa", {}, "assessment.show-person"),
    ("view Ana Costa's assessment", {}, "assessment.show-person"),
    ("open ana", {}, "assessment.show-person"),
    # Starting, the history and step words outside an assessment
    ("start self-assessment", {}, "assessment.start"),
    ("my self-assessment", {}, "assessment.start"),
    ("assess me against grade 7 manager", {}, "assessment.start"),
    ("my assessments", {}, "assessment.history"),
    ("restart", {}, "assessment.steps"),
    ("start again", {}, "assessment.steps"),
    ("resume", {}, "assessment.steps"),
    ("continue my assessment", {}, "assessment.steps"),
    ("pause", {}, "assessment.steps"),
    ("skip", {}, "assessment.steps"),
    ("go back", {}, "assessment.steps"),
    ("cancel", {}, "assessment.steps"),
    # While an assessment is answered here, its text is the assessment's (scores, evidence, steps)
    ("7", ANSWERING, "assessment.answer"),
    ("7 - I run the inductions", ANSWERING, "assessment.answer"),
    ("Assessment of COSHH risks for the lab", ANSWERING, "assessment.answer"),
    ("skip", ANSWERING, "assessment.answer"),
    # ... but a finished assessment's commands and privacy requests still go to their feature
    ("share with my manager", ANSWERING, "assessment.share"),
    ("delete my data", ANSWERING, "privacy.erase"),
    # Framework questions, including ones that start like a command
    ("what does grade 7 specialist need", {}, "qa.question"),
    ("show grade 7 specialist", {}, "qa.question"),
    ("show me the lab manager role", {}, "qa.question"),
    ("view budget management at each grade", {}, "qa.question"),
    ("show technical director", {}, "qa.question"),
    ("how do I get promoted", {}, "qa.question"),
    ("what is the technician commitment", {}, "qa.question"),
    ("how much does a grade 6 get paid", {}, "qa.question"),
    ("and the manager?", {}, "qa.question"),
    ("grade 8?", {}, "qa.question"),
    ("what about budget management", {}, "qa.question"),
    ("show more", {}, "qa.question"),
    ("help", {}, "qa.question"),
    ("thanks", {}, "qa.question"),
    ("the manager one", {}, "qa.question"),
    ("share of budget at grade 9", {}, "qa.question"),
    ("yes", {}, "qa.question"),
]


@pytest.mark.parametrize(
    ("text", "state", "expected"), CORPUS, ids=[f"{t} {sorted(s)}" for t, s, _ in CORPUS]
)
def test_each_message_is_claimed_by_the_feature_that_does_it(
    ctx: Context, text: str, state: dict[str, Any], expected: str
) -> None:
    claim = build_router(ctx).claimant(text, state=state, private=True)
    assert claim is not None and claim.name == expected


def test_the_router_lists_its_claims_in_the_order_it_asks_them(ctx: Context) -> None:
    names = [claim.name for claim in build_router(ctx).claims]
    assert names.index("privacy.confirm") < names.index("assessment.share") < names.index("assessment.answer")
    assert names.index("assessment.answer") < names.index("assessment.steps") < names.index("qa.question")
    assert names[-1] == "qa.question"


def test_outside_a_direct_chat_an_assessment_in_progress_claims_nothing(ctx: Context) -> None:
    router = build_router(ctx)
    claim = router.claimant("7", state=ANSWERING, private=False)
    assert claim is not None and claim.name == "qa.question"
    # A personal command in a channel is still the assessment's: it answers with where to go instead.
    claim = router.claimant("share with my manager", private=False)
    assert claim is not None and claim.name == "assessment.share" and claim.private_only
