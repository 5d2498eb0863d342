"""The words of a question that are not the frameworks' own: chat shorthand ("wat", "mgr"), numbers spelled
out, common words never "corrected" into framework words, and the phrases that say what is being asked."""

from __future__ import annotations

# Chat shorthand that edit distance cannot reach (too short, or too far from the word).
ABBREVIATIONS = {
    "wat": "what",
    "wht": "what",
    "wot": "what",
    "hw": "how",
    "grd": "grade",
    "gr": "grade",
    "gde": "grade",
    "lvl": "level",
    "lev": "level",
    "mgr": "manager",
    "mngr": "manager",
    "manger": "manager",
    "techie": "technician",
    "tech": "technician",
    "techs": "technician",
    "techies": "technician",
    "spec": "specialist",
    "diff": "difference",
    "dev": "development",
    "opps": "opportunities",
    "opp": "opportunity",
    "devt": "development",
    "vs": "versus",
    "v": "versus",
    "mgmt": "management",
    "ops": "operations",
    "org": "organisation",
    "organization": "organisation",
    "organizing": "organising",
    "prioritizing": "prioritising",
}
NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
# Common words that must never be "corrected" into a framework word ("land" is not "band").
NEVER_CORRECT = frozenset(
    """
    what whats does doing done need needs have want with that this from into about which when where
    should would could there their they them your mine know tell show give like look more much many
    some most make been being were will also just than then only over each every other good well work
    working able help here hers mean means same some such take into upon very want wants land hand
    hello thanks thank please role roles does expected expect required require requires look looks
    between helps helped helpful probation probationary contract contracts building mary lost stop stops
    isnt dont doesnt cant wont arent didnt directly wasnt werent havent hasnt hadnt shouldnt wouldnt couldnt
    whove weve youve theyve ive youre theyre heard hear
    regrading regrade regraded docs phased unis unite aide aider aiders carer carers easter starter starters
    looked looking asked asks going goes gone came come comes sent said says told took taken given gave
    made used uses using seen kept keep keeps felt feel feels think thought hold holds holding
    """.split()
)

# Words that signal what is being asked, by intent (comma-separated phrases).
_INTENT_WORDS = {
    "help": "help, what can you do, what can i ask, commands, how do i use, menu, who are you",
    # A greeting alone asks what the bot does; before a question ("hello - is there a grade above
    # mine?") it is only a greeting.
    "greeting": "hi, hello, hey, hiya, good morning, good afternoon",
    "progression": "progress, progression, promotion, promoted, get to, get from, move up, move to, "
    "move from, next, next grade, next step, next level, step up, become, criteria, career grade, "
    "regrade, regrading, go from, go up, get there, get promoted, promote, promotions, move on, "
    "after this grade, after my grade, comes after, go after, beyond, where next, go next, higher grade, "
    "how far, the top, top grade, highest grade, evidence, grade above, the one above, above mine, "
    "above me, above my grade, comes above, higher than mine, would i have to show, what do i have to show, "
    "what do i need to show, make it to, make senior",
    "compare": "difference, differences, compare, comparison, versus, differ, contrast, side by side, "
    "different between, different from, different to, any different, how different, whats different, "
    "what is different, different about, which role is, which one is, which of the two, which job is, "
    "which of the roles, which of the jobs",
    "development": "training, train, develop, development opportunities, development suggested, "
    "dev, dev table, development table, dev option, dev options, dev list, "
    "suggested development, any development, development option, improve, course, courses, "
    "opportunities, opportunity, learn, learning, get better, grow, upskill, resources, development options, "
    "development ideas, development suggestions, development activities, cpd, cpd options, cpd ideas, "
    "development for, development in, development on, development with, "
    "development is there, development there, development available, development is available, "
    "development would help, development could help, development helps, development ops",
    "crosswalk": "equivalent, equivalence, crosswalk, map, maps, mapping, mapped, correspond, hett, ntdc, "
    "band, bands, hay",
    "path": "path, paths, pathway, pathways, route, routes, track, ladder",
    "grid": "self assessment, self assess, assessment grid, grid, competencies, competency list",
    # The PDP template's own column headings ("what goes under support needed").
    "pdp": "pdp, development plan, personal development plan, support needed, date for achievement, "
    "development objective, development objectives, target dates for review",
    "roles": "list roles, all roles, all grades, list grades, which roles, what roles",
    "thanks": "thanks, thank you, cheers, ta",
}
INTENT_PHRASES = {
    phrase.strip(): intent for intent, phrases in _INTENT_WORDS.items() for phrase in phrases.split(",")
}
