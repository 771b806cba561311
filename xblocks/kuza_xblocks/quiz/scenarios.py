"""Sample quizzes in OLX for xblock-sdk's workbench: one per question type, a mixed quiz, a pre-test and its post-test.

Each is written exactly as the block writes itself, so each also checks the round trip.
"""

SINGLE_CHOICE = """\
<kuza_quiz url_name="single-choice" display_name="Single choice" mode="practice" xblock-family="xblock.v1">
  <single_choice id="awards">
    <prompt>Who organises the UN Public Service Awards?</prompt>
    <choice id="desa" correct="true" feedback="Yes: UN DESA runs the awards every year.">UN DESA</choice>
    <choice id="undp" feedback="No: UNDP supports countries, but does not run the awards.">UNDP</choice>
    <choice id="wb" feedback="No: the World Bank has its own programmes.">The World Bank</choice>
    <explanation>The Division for Public Institutions and Digital Government of **UN DESA** runs the awards.</explanation>
  </single_choice>
</kuza_quiz>
"""

MULTIPLE_RESPONSE = """\
<kuza_quiz url_name="multiple-response" display_name="Multiple response" mode="practice" shuffle="true" xblock-family="xblock.v1">
  <multiple_response id="one-stop" scoring="partial">
    <prompt>Which of these does a one-stop shop for public services usually offer?</prompt>
    <choice id="place" correct="true" feedback="Yes: one counter, or one website.">Several services in one place</choice>
    <choice id="forms" correct="true" feedback="Yes: the same data is asked for once.">One form for related services</choice>
    <choice id="fees" feedback="No: fees are set by each service's law.">Lower fees by law</choice>
    <explanation>Partial credit: each right choice earns a share of the points, each wrong one takes a share away.</explanation>
  </multiple_response>
</kuza_quiz>
"""

TRUE_FALSE = """\
<kuza_quiz url_name="true-false" display_name="True or false" mode="practice" xblock-family="xblock.v1">
  <true_false id="transfer" answer="false" feedback_true="Not quite: a practice needs adapting." feedback_false="Right: it must be adapted first.">
    <prompt>A practice that worked in one country can be copied to another without changes.</prompt>
    <explanation>Laws, budgets and institutions differ, so a transferred practice is **adapted**, not copied.</explanation>
  </true_false>
</kuza_quiz>
"""

NUMERIC = """\
<kuza_quiz url_name="numeric" display_name="Numeric answer" mode="practice" xblock-family="xblock.v1">
  <numeric id="saved" answer="2.5" tolerance="0.1">
    <prompt>A permit took 5 days and now takes half as long. How many days does it take now? (2,5 and 2.5 are both read.)</prompt>
    <explanation>5 ÷ 2 = 2.5 days.</explanation>
  </numeric>
</kuza_quiz>
"""

SHORT_TEXT = """\
<kuza_quiz url_name="short-text" display_name="Short text" mode="practice" xblock-family="xblock.v1">
  <short_text id="desa">
    <prompt>Which UN department runs the Public Service Awards? Give its short name.</prompt>
    <answer>DESA</answer>
    <answer>UN DESA</answer>
    <explanation>The Department of Economic and Social Affairs, **UN DESA**.</explanation>
  </short_text>
</kuza_quiz>
"""

ORDERING = """\
<kuza_quiz url_name="ordering" display_name="Ordering" mode="practice" xblock-family="xblock.v1">
  <ordering id="transfer-steps" scoring="partial">
    <prompt>Put the steps of transferring a practice in order.</prompt>
    <item id="study">Study the original practice</item>
    <item id="compare">Compare the two contexts</item>
    <item id="adapt">Adapt the design</item>
    <item id="pilot">Pilot and measure</item>
    <explanation>Understand first, then adapt, then test on a small scale.</explanation>
  </ordering>
</kuza_quiz>
"""

MATCHING = """\
<kuza_quiz url_name="matching" display_name="Matching" mode="practice" xblock-family="xblock.v1">
  <matching id="practices">
    <prompt>Match each practice with what it changed.</prompt>
    <pair id="onestop">
      <left>One-stop shop</left>
      <right>Fewer trips for citizens</right>
    </pair>
    <pair id="budget">
      <left>Participatory budgeting</left>
      <right>Citizens choose spending priorities</right>
    </pair>
    <pair id="open-data">
      <left>Open contracting data</left>
      <right>Public scrutiny of procurement</right>
    </pair>
  </matching>
</kuza_quiz>
"""

MIXED = """\
<kuza_quiz url_name="chapter-1-quiz" display_name="Chapter 1: check your understanding" mode="graded" max_attempts="3" pass_mark="0.7" weight="2" show_answers="after_last_attempt" shuffle="true" xblock-family="xblock.v1">
  <single_choice id="awards" weight="2">
    <prompt>Who organises the UN Public Service Awards?</prompt>
    <choice id="desa" correct="true" feedback="Yes: UN DESA runs the awards.">UN DESA</choice>
    <choice id="undp" feedback="No: UNDP supports countries, but does not run the awards.">UNDP</choice>
    <choice id="wb">The World Bank</choice>
    <explanation>The awards are run by UN DESA's Division for Public Institutions and Digital Government.</explanation>
  </single_choice>
  <multiple_response id="evidence">
    <prompt>Which of these are evidence that a service improved?</prompt>
    <choice id="time" correct="true">Waiting times fell</choice>
    <choice id="complaints" correct="true">Fewer complaints</choice>
    <choice id="posters">More posters about the service</choice>
  </multiple_response>
  <true_false id="copy" answer="false">
    <prompt>A practice can be transferred without adapting it.</prompt>
  </true_false>
  <numeric id="percent" answer="40" tolerance="5%">
    <prompt>Visits fell from 5 to 3 a year. By what percentage did they fall?</prompt>
    <explanation>(5 − 3) ÷ 5 = 40%.</explanation>
  </numeric>
  <short_text id="acronym">
    <prompt>What do the letters **SDG** stand for? (Sustainable …)</prompt>
    <answer>Sustainable Development Goals</answer>
    <answer>Sustainable Development Goal</answer>
  </short_text>
  <ordering id="cycle">
    <prompt>Order the policy cycle.</prompt>
    <item id="agenda">Agenda setting</item>
    <item id="design">Design</item>
    <item id="implement">Implementation</item>
    <item id="evaluate">Evaluation</item>
  </ordering>
  <matching id="regions">
    <prompt>Match each winner with its region.</prompt>
    <pair id="rw">
      <left>Rwanda</left>
      <right>Africa</right>
    </pair>
    <pair id="co">
      <left>Colombia</left>
      <right>Latin America</right>
    </pair>
  </matching>
</kuza_quiz>
"""

_SET_QUESTIONS = """\
  <single_choice id="users">
    <prompt>Where should the redesign of a public service start?</prompt>
    <choice id="users" correct="true">With the people who use the service</choice>
    <choice id="law">With a new law</choice>
    <choice id="it">With new computers</choice>
  </single_choice>
  <true_false id="measure" answer="true">
    <prompt>A service should be measured before it changes as well as after.</prompt>
    <explanation>Without a baseline, nobody can tell how much the change helped.</explanation>
  </true_false>
  <numeric id="days" answer="3">
    <prompt>A licence took 12 days and now takes a quarter of that. How many days?</prompt>
  </numeric>
"""

PRE_TEST = f"""\
<kuza_quiz url_name="module-1-pre-test" display_name="Before you start: what do you know?" mode="pre_test" question_set="module-1" max_attempts="1" show_answers="never" xblock-family="xblock.v1">
{_SET_QUESTIONS}</kuza_quiz>
"""

POST_TEST = f"""\
<kuza_quiz url_name="module-1-post-test" display_name="After the module: what have you learnt?" mode="post_test" question_set="module-1" max_attempts="2" show_answers="after_last_attempt" xblock-family="xblock.v1">
{_SET_QUESTIONS}</kuza_quiz>
"""

WORKBENCH_SCENARIOS = [
    ("Kuza quiz: single choice", SINGLE_CHOICE),
    ("Kuza quiz: multiple response, partial credit, shuffled", MULTIPLE_RESPONSE),
    ("Kuza quiz: true or false", TRUE_FALSE),
    ("Kuza quiz: numeric, with a tolerance", NUMERIC),
    ("Kuza quiz: short text", SHORT_TEXT),
    ("Kuza quiz: ordering", ORDERING),
    ("Kuza quiz: matching", MATCHING),
    ("Kuza quiz: a graded quiz with every type", MIXED),
    ("Kuza quiz: pre-test (module 1)", PRE_TEST),
    ("Kuza quiz: post-test (module 1)", POST_TEST),
]
