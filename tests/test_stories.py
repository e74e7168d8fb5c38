from newstrace.stories import group_stories, story_id

from .conftest import make_article
from .test_reuse import OTHER, SPUN, WIRE

BUDGET_FOLLOWUP = """Teachers welcome council budget
Teachers' unions welcomed the budget the city council approved for schools and parks.
The plan adds two hundred teachers over three years, the mayor said after the council vote.
"""


def test_articles_about_one_event_form_one_story_and_others_another():
    items = [
        make_article(WIRE, article_id="wire"),
        make_article(OTHER, article_id="budget"),
        make_article(SPUN, article_id="spun", title="Crane drops"),
        make_article(BUDGET_FOLLOWUP, article_id="teachers"),
    ]
    stories = group_stories(items)
    assert sorted(s.article_ids for s in stories) == [("budget", "teachers"), ("wire", "spun")]
    assert sum(len(s.article_ids) for s in stories) == len(items)


def test_story_ids_do_not_depend_on_order():
    assert story_id(["b", "a"]) == story_id(["a", "b"])
    forward = group_stories(
        [make_article(WIRE, article_id="x"), make_article(SPUN, article_id="y")]
    )
    backward = group_stories(
        [make_article(SPUN, article_id="y"), make_article(WIRE, article_id="x")]
    )
    assert {s.id for s in forward} == {s.id for s in backward}
