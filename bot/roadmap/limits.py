"""Every length and count limit of the roadmap file, in one place.

Why here and not inline in the models: each text in the roadmap ends up in a Discord
surface that has its own hard limit (an autocomplete choice name, an embed field value, a
select option label...). Checking the file against these numbers at load time means a
curriculum author learns about an over-long title when the bot starts, not when a member
opens the topic and Discord answers 400. The comment beside each constant names the
Discord place it protects; `tests/unit/test_roadmap_loader.py` checks that each one fits.

Discord's own numbers (from DESIGN.md, "Discord facts"): autocomplete choice name 100,
select option label/value/description 100, button label 80, link button url 512,
custom_id 100, embed title 256, description 4096, field name 256, field value 1024,
message content 2000.
"""

from __future__ import annotations

from typing import Final

# --- ids -------------------------------------------------------------------------------------
# An id travels as an autocomplete choice value (100) and inside component custom_ids (100)
# such as "topic:done:<id>": 60 leaves 40 characters for the prefix.
ID_PATTERN: Final = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
ID_MAX: Final = 60

# --- top level -------------------------------------------------------------------------------
ROADMAP_NAME_MAX: Final = 80  # embed title (256) and author name (256) of /roadmap
ROADMAP_DESCRIPTION_MAX: Final = 1000  # embed description (4096) of /roadmap

# --- stages ----------------------------------------------------------------------------------
STAGE_TITLE_MAX: Final = 80  # select option label (100); embed field name (256)
STAGE_SUMMARY_MAX: Final = 300  # embed field value (1024) in the roadmap overview

# --- topics ----------------------------------------------------------------------------------
TOPIC_TITLE_MAX: Final = (
    80  # autocomplete choice name (100), select option label (100), button label (80)
)
TOPIC_SUMMARY_MAX: Final = 400  # embed description (4096), top of /topic
TOPIC_WHY_MAX: Final = 700  # embed field value (1024), the "why it matters" field
CHECKLIST_ITEM_MAX: Final = 200  # one line of the checklist, embed field value (1024)
CHECKLIST_MIN_ITEMS: Final = 3
CHECKLIST_MAX_ITEMS: Final = 10
RESOURCES_MIN: Final = 2
RESOURCES_MAX: Final = 10  # select options (25) when a member picks a resource
TOPIC_HOURS_MIN: Final = 1
TOPIC_HOURS_MAX: Final = 200
TAG_MAX: Final = 30  # tags are shown inline in an embed footer (2048)
TAGS_MAX_ITEMS: Final = 10

# --- resources -------------------------------------------------------------------------------
RESOURCE_TITLE_MAX: Final = 100  # select option label (100); link text in a field value (1024)
URL_MAX: Final = 300  # link button url (512); "[title](url)" in an embed field value (1024)

# --- learning path ---------------------------------------------------------------------------
PHASE_TITLE_MAX: Final = 80  # embed field name (256); select option label (100)
PHASE_GOAL_MAX: Final = 200  # one line of an embed field value (1024)
PHASE_GOALS_MIN: Final = 1
PHASE_GOALS_MAX: Final = 10
MONTH_MIN: Final = 1
MONTH_MAX: Final = 36

# --- challenges ------------------------------------------------------------------------------
CHALLENGE_TITLE_MAX: Final = 100  # autocomplete choice name (100); embed title (256)
CHALLENGE_BRIEF_MAX: Final = 1500  # embed description (4096) of the weekly challenge post
CHALLENGE_DELIVERABLE_MAX: Final = 500  # embed field value (1024)
CHALLENGE_NOTE_MAX: Final = (
    200  # one hint or stretch goal, as a spoiler line in a field value (1024)
)
CHALLENGE_NOTES_MAX_ITEMS: Final = 5  # hints, and stretch goals, each
CHALLENGE_HOURS_MIN: Final = 1
CHALLENGE_HOURS_MAX: Final = 100

# --- tips ------------------------------------------------------------------------------------
TIP_TEXT_MAX: Final = 500  # embed description (4096) of the tip post; message content (2000)
