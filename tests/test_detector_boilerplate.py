"""Boilerplate detector (BOI001-BOI010): site furniture, removed by a safe fix."""

import json
import os

import pytest

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import all_rules, get_rule

CODES = [r.code for r in all_rules() if r.category == "boilerplate"]


def findings(text, config=None):
    article = build_article(text)
    out = []
    for code in CODES:
        out.extend(get_rule(code).run(article, config or Config()))
    for f in out:
        assert f.severity == "error" and f.suggestion == "" and f.fix == "safe"
    return sorted(out, key=lambda f: f.start)


def remove(text, fs):
    for f in sorted(fs, key=lambda f: -f.start):
        text = text[: f.start] + text[f.end :]
    return text


SEED_PARA = (
    "They called on the president to increase the number of staff at the embassy in Moscow. "
    "Subscribe to YouTube RBC Live broadcasts, videos and recordings of programs on our YouTube channel\n\n"
    "Источник In April of this year, the United States expelled ten Russian diplomats. "
    "Earlier, officials said that “some solutions are being found. The material is being updated. "
    "After July 1, another group of diplomats will leave Moscow."
)


def test_seed_000_furniture():
    fs = findings(SEED_PARA)
    assert [(f.code, SEED_PARA[f.start : f.end].strip()) for f in fs] == [
        ("BOI001", "Subscribe to YouTube RBC Live broadcasts, videos and recordings of programs on our YouTube channel"),
        ("BOI007", "Источник"),
        ("BOI002", "The material is being updated."),
    ]
    assert remove(SEED_PARA, fs) == (
        "They called on the president to increase the number of staff at the embassy in Moscow.\n\n"
        "In April of this year, the United States expelled ten Russian diplomats. "
        "Earlier, officials said that “some solutions are being found. "
        "After July 1, another group of diplomats will leave Moscow."
    )


# (code, furniture sentence); each is tested alone on a line, at the end of a
# paragraph and in the middle of one.
CASES = [
    ("BOI001", "Subscribe to our Telegram channel."),
    ("BOI001", "Follow us on Twitter and Facebook."),
    ("BOI001", "Join us on VK!"),
    ("BOI001", "Read the news on Telegram."),
    ("BOI001", "All news is on our Telegram channel."),
    ("BOI001", "Watch the full video on our YouTube channel."),
    ("BOI001", "Подписывайтесь на наш канал в Telegram."),
    ("BOI001", "Our channel in Zen."),
    ("BOI001", "Follow the news on our channel in Zen."),
    ("BOI001", "The most important news of the day in our Telegram channel."),
    # a {…|…} alternative that is a prefix of another ("share" / "share this
    # article") no longer hides the longer one from a "whole" phrase
    ("BOI001", "Share this article"),
    ("BOI003", "All news on the topic “War in Ukraine”"),
    ("BOI006", "The author's opinion may not coincide with the position of the editorial board."),
    ("BOI002", "The material is being updated."),
    ("BOI002", "This news is being updated."),
    ("BOI002", "News is being added."),
    ("BOI002", "The news is being supplemented..."),
    ("BOI002", "Материал дополняется."),
    ("BOI002", "Details to follow."),
    ("BOI003", "Source: TASS."),
    ("BOI003", "Read also: Lavrov to visit Ankara."),
    ("BOI003", "Read more: Sanctions hit Russian banks."),
    ("BOI003", "See also : The talks in Geneva."),
    ("BOI003", "Источник: РИА Новости."),
    ("BOI003", "Читайте также: Песков ответил на вопрос."),
    ("BOI004", "Photo: Sergei Bobylev/TASS."),
    ("BOI004", "Photo by John Smith/AP."),
    ("BOI004", "Фото: пресс-служба Кремля."),
    ("BOI004", "Video: RIA Novosti."),
    ("BOI004", "Photo: © Reuters."),
    ("BOI005", "If you find an error, select it and press Ctrl+Enter."),
    ("BOI005", "If you find a typo in the text, please highlight it and press Ctrl + Enter."),
    ("BOI005", "Нашли ошибку? Выделите её и нажмите Ctrl+Enter."),
    ("BOI006", "© 2021 Interfax. All rights reserved."),
    ("BOI006", "All rights reserved."),
    ("BOI006", "Copyright 2022 RBC."),
    ("BOI006", "Advertising."),
    ("BOI006", "Реклама."),
    ("BOI006", "18+"),
    ("BOI006", "Reproduction of materials is prohibited without permission."),
    # Russia's mandatory foreign-agent labels (one opened a clean corpus article and
    # made its order test read the label as the lede)
    ("BOI006", "This content (information) is produced, distributed and (or) sent by the foreign agent RS-Balt JSC."),
    ("BOI006", "This material was created and/or distributed by a foreign mass media outlet performing the functions "
               "of a foreign agent."),
    ("BOI006", "Данное сообщение (материал) создано и (или) распространено иностранным средством массовой информации, "
               "выполняющим функции иностранного агента."),
    ("BOI006", "The opinion of the editorial board may not coincide with the opinion of the author."),
    ("BOI001", "Our Telegram channel is the main news of the day."),
]


# Mid-paragraph furniture is found where the sentence segmenter starts a
# sentence; it does not split before "©" or "18+", which sit on their own lines.
LINE_ONLY = {"© 2021 Interfax. All rights reserved.", "18+", "All news on the topic “War in Ukraine”"}


@pytest.mark.parametrize("code, furniture", CASES)
@pytest.mark.parametrize("where", ["line", "end", "middle"])
def test_furniture(code, furniture, where):
    if where != "line" and furniture in LINE_ONLY:
        pytest.skip("own line only")
    before = "The minister arrived in Ankara on Monday."
    after = "Talks will continue on Tuesday."
    if where == "line":
        text = f"{before}\n\n{furniture}\n\n{after}"
        clean = f"{before}\n\n{after}"
    elif where == "end":
        text = f"{before} {furniture}\n\n{after}"
        clean = f"{before}\n\n{after}"
    else:
        text = f"{before} {furniture} {after}"
        clean = f"{before} {after}"
    fs = findings(text)
    assert [f.code for f in fs] == [code] * len(fs) and fs, [(f.code, text[f.start : f.end]) for f in fs]
    assert remove(text, fs) == clean


def test_furniture_last_line_keeps_text_clean():
    text = "The minister arrived.\n\nPhoto: Reuters"
    fs = findings(text)
    assert [f.code for f in fs] == ["BOI004"]
    assert remove(text, fs) == "The minister arrived."


def test_quotes_and_case_variants():
    for line in ["READ ALSO: talks", "read also:talks", "Photo : Reuters", "Watch “Putin’s interview” on our YouTube channel"]:
        text = f"The minister arrived.\n{line}"
        assert findings(text), line


@pytest.mark.parametrize(
    "text",
    [
        "The source said the talks had stalled.",
        "According to a source, the deal is close.",
        "A source told Reuters that the plan was dropped.",
        "He said the material is being updated every year by the ministry.",
        "The photo by the lake won a prize.",
        "She read more than 40 books last year.",
        "Subscribers to the service complained about the price.",
        "He asked viewers to follow the news closely.",
        "The company's advertising revenue rose.",
        "Copyright infringement cases rose sharply.",
        "The Source: a new magazine, was launched on Friday.",
        "“Join us in the fight,” he told supporters.",
        "The Russian word Источник means source.",
        "Photographers gathered outside. Photos were taken.",
        "He said Telegram channels spread the rumour.",
        "Documents for designating Deutsche Welle a foreign agent have been sent to the Justice Ministry.",
        "The material was produced by a team that was later declared a foreign agent by the ministry.",
        "Manafort failed to register as a foreign agent working on behalf of the government.",
        "Share prices rose on Monday.",
        "The author's opinion was clear from the first page.",
        "All news on the topic was bad, he said.",
    ],
)
def test_news_sentences_are_not_flagged(text):
    assert [(f.code, text[f.start : f.end]) for f in findings(text)] == []


def test_stray_word_needs_a_following_sentence():
    assert findings("Источник сообщил об этом.") == []
    text = "The talks ended.\nФото The minister left."
    fs = findings(text)
    assert [(f.code, text[f.start : f.end]) for f in fs] == [("BOI007", "Фото ")]
    assert remove(text, fs) == "The talks ended.\nThe minister left."
    # Alone on its line it is a credit line (BOI004).
    text = "The talks ended.\nФото\nThe minister left."
    fs = findings(text)
    assert [f.code for f in fs] == ["BOI004"]
    assert remove(text, fs) == "The talks ended.\nThe minister left."


def test_extra_boilerplate_from_config():
    text = "The minister arrived. Kommersant newsroom, 2021. Talks continue."
    assert findings(text) == []
    fs = findings(text, Config(extra_boilerplate=["Kommersant  newsroom"]))
    assert [f.code for f in fs] == ["BOI008"]
    assert remove(text, fs) == "The minister arrived. Talks continue."


def test_allow_phrases():
    text = "The minister arrived.\nSource: Reuters bureau"
    assert findings(text)
    assert findings(text, Config(allow_phrases=["Source: Reuters bureau"])) == []


def test_removal_is_idempotent():
    text = SEED_PARA
    once = remove(text, findings(text))
    assert findings(once) == []


def test_rules_are_documented():
    for code in CODES:
        r = get_rule(code)
        assert r.doc and "Example" in r.doc and r.fix == "safe"


CLEAN_SAMPLE = os.path.join(os.path.dirname(__file__), "data", "clean_sample.jsonl")


def test_clean_sample_has_no_boilerplate():
    with open(CLEAN_SAMPLE, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    assert docs
    flagged = [(d.get("id"), d["text"][f.start : f.end]) for d in docs for f in findings(d["title"] + "\n\n" + d["text"])]
    assert flagged == []


# --- BOI009: social media embed residue ---------------------------------------


@pytest.mark.parametrize(
    "text, left",
    [
        ("Head\n\nWe are ready to talk pic.twitter.com/AbCdEf123 \u2014 Maria Zakharova (@MID_RF) March 5, 2022\n\nMore.",
         "Head\n\nWe are ready to talk\n\nMore."),
        ("Head\n\nThe talks are over. \u2014 TASS (@tassagency_en) June 1, 2021", "Head\n\nThe talks are over."),
        ("Head\n\nA post shared by Ramzan Kadyrov (@kadyrov_95) on Mar 5, 2022 at 10:05am PST\n\nMore.",
         "Head\n\n\n\nMore."),
        ("Head\n\nView this post on Instagram\n\nMore.", "Head\n\n\n\nMore."),
    ],
)
def test_embed_residue_removed(text, left):
    fs = [f for f in findings(text) if f.code == "BOI009"]
    assert len(fs) == 1
    assert remove(text, fs) == left


@pytest.mark.parametrize(
    "text",
    [
        "Head\n\nShe wrote on Twitter (@MID_RF is the ministry's account) that talks would go on.",
        "Head\n\nThe ministry's Instagram account posted a photo on March 5, 2022.",
        "Head\n\nThe site pic.twitter is not a link; Twitter said on March 5, 2022 it would respond.",
    ],
)
def test_mentions_of_social_media_are_not_residue(text):
    assert [f for f in findings(text) if f.code == "BOI009"] == []


def test_an_embed_line_is_furniture_for_the_order_test():
    from auditor.detectors.boilerplate import furniture_sentences

    text = "Head\n\nThe talks went on.\n\nView this post on Instagram\n\nThey ended late."
    art = build_article(text)
    (i,) = furniture_sentences(art, Config())
    assert art.sentences[i].text == "View this post on Instagram"


# --- BOI010: page metadata lines ------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Date of publication: 15.03.2023, 14:25",
        "Updated: 15.03.2023, 15:10",
        "Updated 15:10",
        "Published on 15.03.2023 at 14:25 MSK",
        "Tags: Vladimir Putin, government, economy",
        "Author: Ivan Petrov",
        "Views: 1250",
        "Дата публикации: 15.03.2023",
        "Теги: Путин, экономика",
    ],
)
def test_metadata_line_removed(line):
    text = f"Head\n\nThe minister arrived on Monday.\n\n{line}\n\nTalks will continue on Tuesday."
    fs = findings(text)
    assert [f.code for f in fs] == ["BOI010"], [(f.code, text[f.start:f.end]) for f in fs]
    assert remove(text, fs) == "Head\n\nThe minister arrived on Monday.\n\nTalks will continue on Tuesday."


@pytest.mark.parametrize(
    "text",
    [
        # a label the segmenter ran into the story (Reuters wire copy): the quote must stay
        "Head\n\nKeywords: FINANCIAL BAILOUT/REAX ANDREW BRENNER, MF GLOBAL IN NEW YORK: On the plan: \"I am still behind it.\"",
        "Head\n\nPublished on Monday, the report said prices would rise.",
        "Head\n\nThe report was updated: prices will rise by 5%, the ministry said on Tuesday after a long meeting with the unions.",
        "Head\n\nThe author: a retired colonel who served in Syria for many years and now writes about the war.",
        "Head\n\nText: Obama address on debt ceiling impasse",
    ],
)
def test_prose_with_a_label_is_not_metadata(text):
    assert [f for f in findings(text) if f.code == "BOI010"] == []


def test_a_metadata_line_is_furniture_for_the_order_test():
    from auditor.detectors.boilerplate import furniture_sentences

    text = "Head\n\nThe talks went on.\n\nTags: talks, Moscow\n\nThey ended late."
    art = build_article(text)
    (i,) = furniture_sentences(art, Config())
    assert art.sentences[i].text == "Tags: talks, Moscow"


@pytest.mark.parametrize(
    "text, left",
    [
        # a bare "Read more" line, with or without an arrow (the colon form was already found)
        ("Head\n\nPrices rose.\nRead more >>\nThe bank said so.", "Head\n\nPrices rose.\nThe bank said so."),
        ("Head\n\nPrices rose.\n\nRead more", "Head\n\nPrices rose."),
        # a credit closing a paragraph: the segmenter does not split before "©"
        ("Head\n\nThe rise supports a hike. © Sputnik / Sergey Guneev\n\nHoenig said so.",
         "Head\n\nThe rise supports a hike.\n\nHoenig said so."),
    ],
)
def test_read_more_line_and_trailing_credit(text, left):
    fs = findings(text)
    assert fs, text
    assert remove(text, fs) == left


@pytest.mark.parametrize("text", [
    "Head\n\nRead more about the plan in our explainer, the editor said.",
    "Head\n\nThe logo reads © 2021 on every page of the brochure, he said, and more text follows here.",
])
def test_read_more_and_copyright_sign_in_prose_stay(text):
    assert findings(text) == []
