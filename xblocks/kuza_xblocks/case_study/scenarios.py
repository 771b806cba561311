"""Sample case studies in OLX for xblock-sdk's workbench: real UN Public Service Awards winners, cited from their original sources.

Each is written exactly as the block writes itself, so each also checks the round trip.
"""

# Every section written out, with a table of results and sources from the awards' own
# database, the press and two independent studies.
E_MUTATION = """\
<kuza_case_study url_name="bd-e-mutation" display_name="e-Mutation: land records changed online" institution="Ministry of Land" country="BD" region="asia_pacific" level="national" year="2017" sdgs="16" xblock-family="xblock.v1">
  <award name="UN Public Service Awards" category="Developing transparent and accountable public institutions" year="2020"/>
  <problem>
Land administration ran on manual record keeping and paper evidence, and brokers stood
between citizens and land offices [5]. In 2019 the Land Minister counted 4.2 million land
registrations a year and 2 to 2.5 million new mutation cases from inheritance, while about
3 million transfers stayed outside the updating of records in the paper system [3].
  </problem>
  <innovation>
Citizens apply online for **mutation**: the change of owner in the record of rights
(*khatiyan*) when land changes hands [1]. They need fewer visits to the land office, and
less time and money [5].

- 1 February 2017: pilot in 7 upazilas (sub-districts) [2].
- 1 July 2019: nationwide, in 485 upazila land offices and 3,617 union land offices [3].
  </innovation>
  <beneficiaries>
Everyone who buys, sells or inherits land and needs the record to name them [5]. The
ministry reports progress "towards more inclusion of women and persons with disabilities in
land management", but gives no figures [4].

Applying online is not yet within everyone's reach: in Savar, nearly four-fifths of the
people served depended on someone else to apply, for lack of knowledge and ICT skills [6].
  </beneficiaries>
  <results>
| What | Figure | Source |
|:--|--:|:--|
| Applications received online, by December 2021 | 5,564,634 | [2] |
| Applications settled, by December 2021 | 4,414,139 | [2] |
| Applications settled in the 2020–21 financial year | 1.9 million of about 2.2 million | [2] |

In a survey at upazila land offices in Mymensingh, 76% of respondents said e-Mutation cut
the time it takes, 45% that it made the service more transparent, 35.8% that it had a
noteworthy impact on reducing corruption, and 53.1% were satisfied to some extent; brokers
and low digital literacy remained problems [5]. A study in Savar found less time, cost and fewer visits [6].

**About the evidence:** the national figures are the ministry's own; each of the two studies
covers a single district.
  </results>
  <partners>
The Ministry of Land runs e-Mutation through its upazila and union land offices [3]. Its
application to the awards reports no UN agency involved [1].
  </partners>
  <success_factors>
- A pilot in 7 upazilas from 2017, before the national roll-out in 2019 [2, 3].
- Every land office, down to the union level, takes online applications, so the service
  is offered wherever land records are kept [3].
- Applicants felt the saving in time, money and visits to the office [5, 6].
  </success_factors>
  <transfer_conditions>
- Land records that can be kept and updated electronically at every office that handles them.
- Help for people who cannot apply online alone: in Savar most applicants relied on
  someone else [6], and brokers kept a role in Mymensingh [5]. Plan assisted applications,
  and watch who still pays an intermediary.
- Figures collected by gender and disability from the start, so that claims of inclusion
  can be checked [4].
  </transfer_conditions>
  <sources>
    <source title="UNPSA application (case details): e-Mutation, Ministry of Land, Bangladesh" publisher="UN DESA, UNPSA database" url="https://publicadministration.un.org/unpsa/en/Home/Case-Details-Public?PreScreeningGUID=287f1857-ca5d-435f-924f-18fe04eb41de&amp;ReadOnly=Yes"/>
    <source title="4.1m e-mutation applications disposed of so far" publisher="Bangladesh Post" year="2021" url="https://bangladeshpost.net/posts/4-1m-e-mutation-applications-disposed-of-so-far-75490"/>
    <source title="Over 1 crore citizens received e-Mutation services – Land Minister" publisher="thenewse.com" year="2019" url="https://thenewse.com/over-1-crore-citizens-received-e-mutation-services-land-minister/"/>
    <source title="Land ministry wins United Nations Public Service Award 2020" publisher="The Business Standard" year="2021" url="https://www.tbsnews.net/bangladesh/land-ministry-wins-united-nations-public-service-award-2020-343168"/>
    <source title="Citizens' perspective on land e-mutation at upazila land offices in Mymensingh" publisher="Asian Journal of Social Sciences and Legal Studies" url="https://www.universepg.com/ajssls/citizens-perspective-on-land-e-mutation-at-upazila-land-offices-in-mymensingh"/>
    <source title="Impacts of E-mutation: A Study on Service Recipients' Perception (S.M.M. Hasan and A.R.H. Gourab)" publisher="BIGM Journal of Policy Analysis" year="2023" url="https://bigm.edu.bd/bigmjpa/index.php/jpa/e-mutation"/>
    <source title="Bangladesh land ministry wins UN Public Service Award 2020" publisher="The Daily Observer" year="2020" url="https://www.observerbd.com/news.php?id=259031"/>
  </sources>
</kuza_case_study>
"""

# A shorter case: no start year given by the sources, and the sections they say nothing
# about (what made it work, conditions for transfer) left out.
OUTPUT_BASED_AID = """\
<kuza_case_study url_name="ke-output-based-aid" display_name="Output-Based Aid: water and sanitation for low-income areas" institution="Water Sector Trust Fund" country="KE" region="african" level="national" sdgs="6" xblock-family="xblock.v1">
  <award name="UN Public Service Awards" category="Enhancing the effectiveness of public institutions to reach the SDGs" year="2021"/>
  <problem>
Low-income households in underserved communities could not afford the materials for water
and sewer connections, and untreated water from unprotected wells, rivers and dams spread
waterborne diseases [1].
  </problem>
  <innovation>
Commercial banks pre-finance the projects of water service providers in low-income areas
(household connections, water kiosks, public water points and public toilets), and the
programme pays a 60% subsidy on the commercial loan [1].
  </innovation>
  <beneficiaries>
Residents of low-income areas. Women and girls save time now that water comes from a tap at
home or a kiosk nearby [1].
  </beneficiaries>
  <results>
120,500 residents gained access to clean water and sanitation, with better hygiene, the
prevention of waterborne disease, and savings against buying water from private vendors [1].
  </results>
  <partners>Commercial banks and water service providers [1]. The Fund itself was created in 2004 under the Water Act 2002 [3].</partners>
  <sources>
    <source title="United Nations Public Service Award Winners 2021: Output-based Aid Programme" publisher="UN DESA, UNPSA database" year="2021" url="https://publicadministration.un.org/unpsa/database/Winners/2021-winners/output-based_aid"/>
    <source title="UNPSA application (case details): Output Based Aid Programme, Water Sector Trust Fund, Kenya" publisher="UN DESA, UNPSA database" url="https://publicadministration.un.org/unpsa/en/Home/Case-Details-Public?PreScreeningGUID=5b1b6ca7-bd8b-4e7f-b6eb-58582ef39dd3&amp;ReadOnly=Yes"/>
    <source title="The Water Services Trust Fund in Kenya" publisher="Centre for Public Impact" year="2017" url="https://www.centreforpublicimpact.org/case-study/the-water-services-trust-fund-in-kenya"/>
  </sources>
</kuza_case_study>
"""

# A case whose sources give a three-letter country code's country, no start year, no award
# category and no goals: the page shows what is known, and no more.
E_MREJESHO = """\
<kuza_case_study url_name="tz-e-mrejesho" display_name="e-Mrejesho: feedback to any public institution" institution="e-Government Authority (e-GA)" country="TZA" region="african" level="national" xblock-family="xblock.v1">
  <award name="UN Public Service Awards" year="2024"/>
  <innovation>
A platform that gathers citizens' complaints, inquiries and feedback in one place and
analyses them for data-driven decisions; complaints may be sent anonymously [1]. Citizens
reach any public institution by USSD code on a mobile phone, by app or on the web, and are
told what was done [2].
  </innovation>
  <results>More participation in feedback, according to the awards' page, which gives no figures [1].</results>
  <sources>
    <source title="United Nations Public Service Award Winners 2024: e-Mrejesho" publisher="UN DESA, UNPSA database" year="2024" url="https://publicadministration.un.org/unpsa/database/Winners/2024-winners/e-Mrejesho"/>
    <source title="Tanzania yashinda Tuzo ya Umoja wa Mataifa ya Ubunifu bora huduma za umma kupitia mfumo wa e-Mrejesho" publisher="Jamhuri Media" year="2024" url="https://www.jamhurimedia.co.tz/tanzania-yashinda-tuzo-ya-umoja-wa-mataifa-ya-ubunifu-bora-huduma-za-umma-kupitia-mfumo-wa-e-mrejesho/"/>
  </sources>
</kuza_case_study>
"""

WORKBENCH_SCENARIOS = [
    ("Kuza case study: e-Mutation, Bangladesh", E_MUTATION),
    ("Kuza case study: Output-Based Aid, Kenya", OUTPUT_BASED_AID),
    ("Kuza case study: e-Mrejesho, Tanzania", E_MREJESHO),
]
