"""The words of the documents' search: phrases read as one term on both sides ("TC" and "Technician
Commitment"), the words people type for the documents' own ("lab", "told"), and those that only say how a
question is asked."""

from __future__ import annotations

# Phrases read as one term on both sides, so "TC" finds "Technician Commitment" and the other way round.
PHRASES = {
    "technician commitment": "tc",
    "technicians commitment": "tc",
    "technical commitment": "tc",
    "national technician development centre": "ntdc",
    "national technicians development centre": "ntdc",
    "national technical development centre": "ntdc",
    "higher education technical taxonomy": "hett",
    "tc steering group": "tcsg",
    "technician commitment steering group": "tcsg",
    "steering group": "tcsg",
    "professional registration": "profreg",
    "professionally registered": "profreg",
    "professional register": "profreg",
    "prof reg": "profreg",
    "prof registration": "profreg",
    # The TC's plans speak of professional recognition, of which registration is the usual form.
    "professional recognition": "profreg",
    # What the plans "ensure" and see "implemented" is what someone makes sure gets done.
    "make sure": "ensure",
    "makes sure": "ensure",
    "making sure": "ensure",
    "gets done": "implemented",
    "get done": "implemented",
    "getting done": "implemented",
    # Whether an action "is working" is what its measures say.
    "is working": "measure",
    "its working": "measure",
    "has worked": "measure",
    # How long a plan runs is said in months ("a 24 month action plan").
    "how long": "month",
    # Queen Mary's "New Staff event" is for those its readers call new starters or joiners.
    "new starters": "newstaff",
    "new starter": "newstaff",
    "new joiners": "newstaff",
    "new joiner": "newstaff",
    "new staff": "newstaff",
    "new scientific starters": "newstaff",
    "work shadowing": "workshadow",
    "job shadowing": "workshadow",
    "work shadow": "workshadow",
    "scientific officer": "scientificofficer",
    "scientific officers": "scientificofficer",
    "learning management system": "lms",
    "job description": "jd",
    "job descriptions": "jd",
    "jds": "jd",
    # The plans' "Risks and dependencies", as people ask for them.
    "get in the way": "risk",
    "gets in the way": "risk",
    "stand in the way": "risk",
    "stands in the way": "risk",
    "hold back": "risk",
    "hold them back": "risk",
    "holds them back": "risk",
    "holding them back": "risk",
    "hold it back": "risk",
    "holds it back": "risk",
    "obstacles": "risk",
    "obstacle": "risk",
    "pitfalls": "risk",
    # Who looks after a thing is who has the responsibility for it.
    "who looks after": "responsibility",
    "who look after": "responsibility",
    "who is in charge of": "responsibility",
    "why they chose": "reason",
    "why they picked": "reason",
    "why they joined": "reason",
    "why they went into": "reason",
    "weak spot": "weakness",
    "weak spots": "weakness",
    "weak point": "weakness",
    "weak points": "weakness",
    "weak areas": "weakness",
    # Those who went through a pilot are those who "participated" in it.
    "went through": "participated",
    "gone through": "participated",
    "took part": "participated",
    "taken part": "participated",
    "take part": "participated",
    # Queen Mary's technician network is its TechNET.
    "tech network": "technet",
    "technician network": "technet",
    "technicians network": "technet",
    # Queen Mary's people directory is "Based on QM 'Find an Expert'".
    "modelled on": "based",
    "modeled on": "based",
}
# Words typed for the documents' own ("lab" for "laboratory", "told" for "notified").
ABBREVIATIONS = {
    "mentor": "mentoring",
    "prof": "professional",  # "a prof body"
    # The documents never say "problem" or "old": "difficult", "in the past".
    "problem": "difficult",
    "problems": "difficult",
    "old": "past",
    "apprentice": "apprenticeship",
    "lab": "laboratory",
    "labs": "laboratory",
    "told": "notified",
    "informed": "notified",
    "option": "opportunity",
    "options": "opportunities",
    "percentage": "percent",
    "proportion": "percent",
    "share": "percent",
    "job": "role",
    "jobs": "role",
    "sos": "scientificofficer",
    "judge": "measure",
    "judged": "measure",
    "evaluate": "measure",
    "evaluated": "measure",
    "qualification": "qualifications",
    "weak": "weakness",
    "weaknesses": "weakness",
    "newly": "new",
    "post": "role",
    "circle": "mark",
    "tick": "mark",
    "finish": "completed",
    "finishes": "completed",
    "finished": "completed",
    "complete": "completed",
    "completes": "completed",
    "fix": "improve",
    "fixing": "improve",
    "author": "authorship",
    "authors": "authorship",
    "authorships": "authorship",
    # A job advert is recruiting; what is needed is what is necessary ("is a degree actually needed").
    "ad": "recruiting",
    "ads": "recruiting",
    "advert": "recruiting",
    "adverts": "recruiting",
    "advertised": "recruiting",
    "advertising": "recruiting",
    "need": "necessary",
    "needed": "necessary",
    "needs": "necessary",
    # Who is left out: "techs who aren't on SO grades" are the "non-Scientific Officers".
    "arent": "non",
    "isnt": "non",
    "not": "non",
    "use": "adopt",
    "uses": "adopt",
    "using": "adopt",
    # In these documents registering is professional registration ("get professionally registered").
    "registration": "profreg",
    "registrations": "profreg",
    "register": "profreg",
    "registered": "profreg",
    "registering": "profreg",
    # Taking up a new JD is adopting it.
    "switch": "adopt",
    "switching": "adopt",
    "swap": "adopt",
    "swapping": "adopt",
    # Nominating for an award and its nominees are one thing to a question.
    "nomination": "nominee",
    "nominations": "nominee",
    "nominate": "nominee",
    "nominated": "nominee",
    "nominating": "nominee",
    "nominees": "nominee",
    "qtechnet": "technet",  # its Twitter handle, "@QTechNET"
    # The plans speak of female technicians, not of women.
    "women": "female",
    "woman": "female",
    "womens": "female",
    "uni": "university",
    "unis": "universities",
}
# Words that say how a question is asked, not what it is about.
STOPWORDS = frozenset(
    """
    a an the of to in on for and or is are was were be been it its this that these those with by at as from
    what whats which who whom whose how why when where does do did doing say says said tell me about any
    there their they them i my we our you your can could would should will shall may might must has have
    had get got build built create created sits sit according
    plan plans action document documents slide slides guide update mention mentions
    talk talks written write anything something say said thing things please do any much many also just
    if so than then into out up over all some such very more most other only same both each few
    mean meant means happen happens happened think thinks look looking im setting offer offers someone
    technician technicians tech techs go goes going went soon long put puts putting
    moment dont doesnt cant wont didnt once
    help helps sort sorted sorting hardly always seem seems anyone anybody whether actually really looking
    figure am suppose supposed thats theres thier ever still bit lot loads ask asks asking asked
    kept keep keeps way ways give gives being aimed people sell board send sends sent sending often come comes
    point want wants wanted too either apart besides ones heard hear right bits like count counts
    he she his her him hers quote quotes quoted quoting between itself themselves special
    whove weve youve theyve ive youre theyre isnt arent wasnt werent havent hasnt shouldnt wouldnt couldnt
    """.split()
)
# The parts of an action plan's row, asked of the one just quoted ("what could get in the way?" is its
# risks, "how will they know it worked" its success measures), as the documents' search reads them.
PLAN_PARTS = frozenset({"risk", "dependency", "success", "measur", "output"})
