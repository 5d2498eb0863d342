"""What people call their qualifications, by level of England's Regulated Qualifications Framework: the
framework's cells ask for knowledge "equivalent to a level 6 qualification", people ask about a degree."""

from __future__ import annotations

# A cell asking for knowledge equivalent to a lower level does not ask for the one named ("does a g4 need a
# degree": "equivalent to a level 3 or 4 qualification"; "a phd for a g7 specialist": "equivalent to a
# level 6 qualification").
QUALIFICATION_LEVELS = {
    "gcse": 2,
    "gcses": 2,
    "hnc": 4,
    "hnd": 5,
    "foundation degree": 5,
    "degree": 6,
    "bachelor": 6,
    "bachelors": 6,
    "bsc": 6,
    "masters": 7,
    "msc": 7,
    "phd": 8,
    "doctorate": 8,
    "dphil": 8,
}
