"""Sample plans in OLX for xblock-sdk's workbench: the default prompts, an author's own, and one in French.

Each is written exactly as the block writes itself, so each also checks the round trip.
"""

DEFAULT_PROMPTS = """\
<kuza_reflection url_name="adaptation-plan" display_name="Your adaptation plan" xblock-family="xblock.v1"/>
"""

AUTHORED_PROMPTS = """\
<kuza_reflection url_name="one-stop-shop-plan" display_name="Planning a one-stop shop" xblock-family="xblock.v1">
  <prompt name="service" hint="Name the service and the office that runs it.">Which service would move into the one-stop shop first?</prompt>
  <prompt name="users">Who would use it, and who might be left out?</prompt>
  <prompt name="pilot" hint="A district, a month, a number of people served.">Where and how would you pilot it?</prompt>
</kuza_reflection>
"""

FRENCH = """\
<kuza_reflection url_name="plan-adaptation" display_name="Votre plan d'adaptation" xblock-family="xblock.v1">
  <prompt name="probleme">Le problème dans mon propre contexte</prompt>
  <prompt name="etapes" hint="Qui fait quoi, et pour quand.">Mes trois premières étapes</prompt>
</kuza_reflection>
"""

WORKBENCH_SCENARIOS = [
    ("Kuza adaptation plan: the default prompts", DEFAULT_PROMPTS),
    ("Kuza adaptation plan: an author's own prompts", AUTHORED_PROMPTS),
    ("Kuza adaptation plan: un plan en français", FRENCH),
]
