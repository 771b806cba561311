"""The closed lists a case study draws on: UN regional groups, levels of government, the 17 SDGs, the story's parts.

Names are marked for the ``text`` catalogue and translated where they are shown.
"""

from kuza_xblocks.i18n import N_

# The five regional groups of UN Member States, which the UN Public Service Awards also
# use to compare like with like.
REGIONS = {
    "african": N_("African Group"),
    "asia_pacific": N_("Asia-Pacific Group"),
    "eastern_european": N_("Eastern European Group"),
    "latin_american_caribbean": N_("Latin American and Caribbean Group"),
    "western_european_others": N_("Western European and Others Group"),
}

LEVELS = {
    "national": N_("National"),
    "sub_national": N_("Sub-national"),
    "local": N_("Local"),
    "other": N_("Other"),
}

# The goals' short names, as the UN publishes them.
SDGS = {
    1: N_("No poverty"),
    2: N_("Zero hunger"),
    3: N_("Good health and well-being"),
    4: N_("Quality education"),
    5: N_("Gender equality"),
    6: N_("Clean water and sanitation"),
    7: N_("Affordable and clean energy"),
    8: N_("Decent work and economic growth"),
    9: N_("Industry, innovation and infrastructure"),
    10: N_("Reduced inequalities"),
    11: N_("Sustainable cities and communities"),
    12: N_("Responsible consumption and production"),
    13: N_("Climate action"),
    14: N_("Life below water"),
    15: N_("Life on land"),
    16: N_("Peace, justice and strong institutions"),
    17: N_("Partnerships for the goals"),
}

# The story's parts: field (and OLX element) name, and the heading learners see, in the
# order learners read them.
SECTIONS = {
    "problem": N_("The problem"),
    "innovation": N_("The innovation"),
    "beneficiaries": N_("Who benefits"),
    "results": N_("Results and evidence"),
    "partners": N_("Partners"),
    "success_factors": N_("What made it work"),
    "transfer_conditions": N_("Conditions for transfer"),
}

# Years a case, its award or a source may carry: anything else is a typing mistake.
FIRST_YEAR = 1900
LAST_YEAR = 2100
