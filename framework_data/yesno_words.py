"""How the framework's cells say yes, no or maybe, and how questions ask for it: the words a yes/no's answer
turns on ("under direction", "Indirect", "working towards", "May"), kept as data beside the qualification
levels, apart from the code that reads a cell with them."""

from __future__ import annotations

import re

DEPENDS = ("dependent on role", "role dependent", "depending on")
MAYBE = ("may ", "could ", "might ", "can ")
# Words of how a yes/no is asked, not of what it is about ("is a grade 5 allowed to ...").
ASKING_WORDS = frozenset(
    """
    allowed able expected expect permitted supposed required meant get gets getting ever any yet someone they
    within
    """.split()
)
ASKING = {w[:4] for w in ASKING_WORDS}


# Words a question says where the framework's cells say another ("how the work environment affects": "may
# impact on own or others work").
SAME_AS = {
    "affect": "impact",
    "affects": "impact",
    "affecting": "impact",
    "affected": "impact",
    "kit": "equipment",
    "touch": "contact",
}
# Words naming every role, which tell no cell from another.
EVERY_ROLE = frozenset({"tech", "techs", "technician", "technicians"})


# Asked whether a role works without someone over it ("can a grade 3 work alone"): a cell's direction or
# supervision says no, its independence yes, whatever else the cell says first.
WORKING_ALONE = (
    "alone",
    "on my own",
    "on their own",
    "on your own",
    "on his own",
    "on her own",
    "unsupervised",
    "independently",
    "by myself",
    "by themselves",
    "without supervision",
    "own initiative",
    "without an academic",
    "without a lecturer",
    "without academic",
    "sign off",
    "signed off",
    "signing off",
)
DIRECTED = re.compile(
    r"\b(under (close |direct )?(direction|supervision)|not expected to work under own initiative"
    r"|with academic presence|with authorisation from|with oversight)",
    re.I,
)
INDEPENDENT = re.compile(r"\b(independently|minimal supervision|indirect supervision|own initiative)", re.I)
# Asked whether a role does something itself ("hands-on support"): a cell that says "Indirect" says no.
HANDS_ON = ("hands", "personally", "directly", "themselves", "in person")


EQUIVALENT_LEVEL = re.compile(r"equivalent to a level (\d+)(?: or (\d+))? qualification", re.I)
# "Working towards IST Rsci Tech": a registration a role works towards, it does not hold yet (a
# registration: named by a professional body's initials). "Working towards completion of relevant
# Apprenticeship" is another matter: doing one is what is asked.
WORKING_TOWARDS = re.compile(r"\bworking towards\b", re.I)
REGISTRATION = re.compile(r"\b[A-Z]{2,}\b")
# A question asking whether the role is on its way to it, which "working towards" says yes to.
IN_PROGRESS = ("towards", "toward", "working")


# Words of how a thing is done that a cell words its own way ("help with team morale": "Contributes to
# building morale"): never what a cell must hold for it to say the thing.
LIGHT = frozenset("help helps helping make take give work works working deal look team teams things".split())
