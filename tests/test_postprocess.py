"""The post-processing pipeline, step by step, and through a fake chat model (no LLM)."""

from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from app import postprocess as post


def test_parse_keeps_abbreviations_decimals_and_list_items():
    sentences, raw = post.parse("It is e.g. in Sec. 2 of the text [2]. Qwen2.5-1.5B is small [1].\n"
                                "- first item [1]\n- second item [3]")
    assert [s.text for s in sentences] == ["It is e.g. in Sec. 2 of the text.",
                                           "Qwen2.5-1.5B is small.", "- first item",
                                           "- second item"]
    assert [s.cites for s in sentences] == [(2,), (1,), (1,), (3,)]
    assert [s.item for s in sentences] == [False, False, True, True]
    assert raw == [2, 1, 1, 3]


def test_stray_citation_lists_and_passage_talk_are_removed():
    sentences, raw = post.parse("Meta must be asked first [1]. [1], [2] Passage [4].")
    result = post.run(sentences, [("empty", post.drop_empty)], post.Result())
    assert post.render(result.kept) == "Meta must be asked first [1]."
    assert result.removed == [("empty", ".")]
    assert raw == [1, 1, 2, 4]


def test_passage_talk_goes_and_the_citation_stays():
    (s,), _ = post.parse("The passage [2] explicitly states that the policy bans it.")
    assert s.text == "The policy bans it." and s.cites == (2,)
    (s,), _ = post.parse("It last released open weights with GPT-2 in 2019, which is the "
                         "passage from [2].")
    assert s.text == "It last released open weights with GPT-2 in 2019." and s.cites == (2,)
    (s,), _ = post.parse("According to passage [3], the weights are public.")
    assert s.text == "The weights are public." and s.cites == (3,)


def test_a_sentence_that_only_says_what_a_source_covers_is_dropped():
    kept, talk = post.parse("BLOOM is well documented but restrictive [1]. The passage [1] "
                            "provides information on this distinction [1].")[0]
    assert post.drop_source_talk(kept) == kept
    assert talk.text.startswith("The passage provides")  # its subject is kept, not 'The provides'
    assert post.drop_source_talk(talk) is None
    for said in ("This can be found in [1].", "This exception is explained in [1].",
                 "This information is provided in [1]."):
        (where,) = post.parse(said)[0]
        assert post.drop_source_talk(where) is None, said
    # where the answer came from, with nothing in it (kb-017's last sentence)
    for said in ("This is based on the information provided in [2].",
                 "This answer is based on the passages [1] and [3].",
                 "The answer is based on passage [2].", "It was taken from the sources [1][2]."):
        (basis,) = post.parse(said)[0]
        assert post.drop_source_talk(basis) is None, said
    (restated,) = post.parse("The passage from directly answers this question by stating "
                             "that a model card documents use [2].")[0]
    assert post.drop_source_talk(restated) is None
    (basis,) = post.parse("It is based on Llama 2 [1].")[0]  # what it is based on: content
    assert post.drop_source_talk(basis) == basis
    # a lead-in naming the source goes, what follows it stays
    (lead,) = post.parse("Based on the information provided in [2], the weights are public.")[0]
    assert lead.text == "The weights are public." and lead.cites == (2,)
    (lead,) = post.parse("Based on section 4, you must ask Meta [1].")[0]
    assert lead.text == "Based on section 4, you must ask Meta."
    # what the source gives, named: content, kept (hard-046's exceptions to Article 2(12))
    (named,) = post.parse("The passage also provides examples such as high-risk systems [2].")[0]
    assert post.drop_source_talk(named) == named


def test_citations_to_missing_passages_are_dropped_and_counted_raw():
    sentences, raw = post.parse("Yes [1][9]. Also [2, 7].")
    result = post.run(sentences, [("invalid", post.valid_citations({1, 2}))], post.Result())
    assert post.render(result.kept) == "Yes [1]. Also [2]."
    assert raw == [1, 9, 2, 7]


def test_uncited_sentence_gets_the_supporting_passage_or_none():
    step = post.attribute({1: "Licensees above 700 million monthly active users must request "
                              "a license from Meta.", 2: "Apache grants a patent licence."})
    cited = step(post.Sentence("Above 700 million monthly active users you must ask Meta for "
                               "a license."))
    assert cited.cites == (1,)
    assert step(post.Sentence("Cats sleep a lot.")).cites == ()


def test_figures_from_the_question_and_passages_are_allowed_others_dropped():
    step = post.known_figures(post.figures("900 million users?") | post.figures(
        "above 700 million monthly active users; cap 1,000,000 USD"))
    assert step(post.Sentence("900 million is above 700 million.")) is not None
    assert step(post.Sentence("The cap is 1000000 dollars.")) is not None
    assert step(post.Sentence("Training cost $25 million.")) is None


def test_repeated_sentences_are_dropped_and_recorded():
    sentences, _ = post.parse("It is open [1]. It is open [1]. It is open [1].")
    result = post.run(sentences, [], post.Result())
    assert len(result.kept) == 1 and [s for s, _ in result.removed] == ["repeat", "repeat"]


def test_require_citation_drops_uncited_sentences():
    result = post.run([post.Sentence("Cited.", (1,)), post.Sentence("Not cited.")],
                      [("uncited", post.require_citation)], post.Result())
    assert post.render(result.kept) == "Cited [1]."
    assert result.removed == [("uncited", "Not cited.")]


def test_stream_yields_whole_sentences_only():
    chunks = ["Llama 3.1 allows com", "mercial use [1]. Above 700 mil", "lion users, ask",
              " Meta [2]. e.g. Sec.", " 2 says so"]
    assert list(post.completed(chunks)) == [
        "Llama 3.1 allows commercial use [1].", " Above 700 million users, ask Meta [2].",
        " e.g. Sec. 2 says so"]


def test_the_pipeline_over_a_fake_chat_model_stream():
    """What the page shows is exactly what the answer keeps: nothing is retracted."""
    fake = GenericFakeChatModel(messages=iter([AIMessage(
        content="No, Llama 2 uses its own community licence [1]. It cost $3 million [1]. "
                "[1], [2] Cats sleep a lot.")]))
    steps = [("empty", post.drop_empty), ("invalid", post.valid_citations({1})),
             ("attribute", post.attribute({1: "Llama 2 Community License Agreement"})),
             ("figures", post.known_figures({"2"})), ("uncited", post.require_citation)]
    result, shown = post.Result(), []
    chunks = (c.content for c in fake.stream("q"))
    for piece in post.completed(chunks):
        sentences, raw = post.parse(piece)
        result.raw_citations += raw
        before = len(result.kept)
        post.run(sentences, steps, result)
        shown += result.kept[before:]
    assert post.render(shown) == post.render(result.kept) == (
        "No, Llama 2 uses its own community licence [1].")
    assert result.removed == [("figures", "It cost $3 million."), ("uncited", "Cats sleep a lot.")]
    assert result.raw_citations == [1, 1, 1, 2]


def test_a_sentence_cut_off_by_the_length_limit_is_dropped():
    assert post.finished(post.Sentence("It bars military use.")) is not None
    assert post.finished(post.Sentence("operating critical infrastr")) is None
    assert post.finished(post.Sentence("- a list item", item=True)) is not None


def test_a_verdict_that_contradicts_its_reason_is_not_shown():
    assert post.verdict_conflict("yes", "The policy prohibits military and warfare uses [1].")
    assert not post.verdict_conflict("yes", "Section 1.a grants a royalty-free licence [1].")
    assert post.verdict_conflict("no", "The licence allows commercial use [1].")
    assert not post.verdict_conflict("no", "It does not allow commercial use [1].")
    assert not post.verdict_conflict("yes", "Item 2 prohibits military uses [1].",
                                     "Does the policy forbid military uses?")


def test_hard_wrapped_paragraphs_split_into_whole_sentences():
    text = ("An open-weight model can be downloaded and\nrun on your own hardware. The developer"
            "\npublishes the weights.\n- an item\n- another\n\n## Heading\nNext line.")
    assert post.split(text) == ["An open-weight model can be downloaded and run on your own "
                                "hardware.", "The developer publishes the weights.",
                                "- an item", "- another", "## Heading", "Next line."]


def test_a_lead_in_whose_list_never_comes_is_dropped_and_held_back_until_known():
    lead = post.Sentence("Ask three questions:", (1,))
    item = post.Sentence("- Is the licence OSI-approved?", (1,), item=True)
    prose = post.Sentence("It also drifts to another topic.", (2,))
    assert post.without_dangling_leads([lead, item], final=True) == ([lead, item], [])
    assert post.without_dangling_leads([lead, prose], final=False) == ([prose], [lead])
    assert post.without_dangling_leads([prose, lead], final=False) == ([prose, lead], [])
    assert post.without_dangling_leads([prose, lead], final=True) == ([prose], [lead])
    assert post.settled([prose, lead]) == 1 and post.settled([lead, item]) == 2


def test_talk_about_the_passage_goes_and_its_content_stays():
    said, _ = post.parse("These results are not certifications, as stated in the [5]. "
                         "According to the passage, Llama 2 is gated [1]. The passage states "
                         "that SmolLM is not gated [4]. However, the passage also mentions "
                         "that the model is English-focused [4].")
    assert [s.text for s in said] == ["These results are not certifications.",
                                      "Llama 2 is gated.", "SmolLM is not gated.",
                                      "The model is English-focused."]
    assert said[0].cites == (5,)


NAMES = {"apache 2.0": "licence:apache-2.0", "apache license 2.0": "licence:apache-2.0",
         "mit license": "licence:mit", "mit": "licence:mit",
         "llama 3.1 community license": "licence:llama-3.1"}
GPT = {1: "gpt-oss-120b by OpenAI, released 05 August 2025: licence: Apache 2.0.",
       2: "OpenAI had last released open language-model weights with GPT-2, in 2019. gpt-oss "
          "is released under Apache 2.0.",
       3: "OpenAI's 2019 GPT-2 code and weights carry a Modified MIT License."}


def licence_claim(text: str, cites: tuple[int, ...]) -> str | None:
    from app.entities import norm

    out = post.licence_attributions(NAMES, GPT, norm)(post.Sentence(text, cites))
    return out.text if out else None


def test_a_licence_claim_no_cited_passage_makes_is_cut_or_dropped():
    # the licence and the release sit in different sentences of the passage: no support
    assert licence_claim("It last released weights with GPT-2 in 2019, which was published "
                         "under the Apache License 2.0.", (2,)) == \
        "It last released weights with GPT-2 in 2019."
    assert licence_claim("GPT-2 was released under Apache 2.0.", (2,)) is None
    assert licence_claim("GPT-2 was released under Apache 2.0.", ()) is None  # no passage


def test_a_supported_licence_claim_stays():
    assert licence_claim("GPT-2 was released under the MIT License.", (3,))
    assert licence_claim("Llama 3.1 is released under the Llama 3.1 Community License.", (1,))
    assert licence_claim("It is released under Apache 2.0.", (2,))  # no release named
    assert licence_claim("GPT-2 is a 2019 model.", (1,))  # no licence claimed


def test_a_claim_of_no_limits_needs_a_passage_saying_so():
    s = post.Sentence("Llama 2 may be used without any restrictions.", (1,))
    assert post.stated_absolutes("a non-transferable, limited licence")(s) is None
    assert post.stated_absolutes("to deal in the Software without restriction")(s) == s


def test_a_sentence_restating_a_kept_one_is_a_repeat():
    sentences, _ = post.parse("The Llama 3.1 licence requires Built with Llama on the website "
                              "[3]. The Llama 3.1 licence also requires Built with Llama on the "
                              "website [3]. The Llama 3.1 licence requires the name [3].")
    result = post.run(sentences, [], post.Result())
    assert len(result.kept) == 2 and result.removed[0][0] == "repeat"


def test_the_first_sentence_kept_loses_a_connective_that_points_back_at_nothing():
    sentences, _ = post.parse("However, it did not allow that [4]. However, it does now [3].")
    result = post.run(sentences, [], post.Result())
    assert post.render(result.kept) == "It did not allow that [4]. However, it does now [3]."


def test_a_developer_the_tables_do_not_give_a_model_is_cut_from_the_sentence():
    from app.entities import norm

    made_by = {"bloom": {"bigscience coordinated by hugging face"}, "gemma": {"google deepmind"}}
    step = post.developer_attributions(made_by, {"openai", "google", "hugging face", "meta"},
                                       norm)

    def checked(text: str) -> str:
        return step(post.Sentence(text, (1,))).text

    assert checked("A model like BLOOM from OpenAI is well documented.") == \
        "A model like BLOOM is well documented."
    assert checked("Gemma, released by Meta in 2024, is open.") == "Gemma, in 2024, is open."
    for right in ["BLOOM by Hugging Face is open.", "Gemma from Google is open.",
                  "The licence from Meta applies."]:  # no model before it: nothing to check
        assert checked(right) == right


def test_a_claim_about_how_a_model_is_reached_must_match_the_table():
    from app.entities import norm

    table = {"BLOOM": "download", "GPT-4o": "api", "Llama 3.1": "gated"}
    step = post.access_claims({norm(name): kind for name, kind in table.items()}, norm)
    first, second = post.parse("A model like BLOOM is well documented [1]. This is because "
                                "the model sits on the API-only end of the spectrum [1].")[0]
    assert step(first) == first and step(second) is None  # 'the model' is BLOOM
    (opened,) = post.parse("GPT-4o's weights can be downloaded [2].")[0]
    assert step(opened) is None
    # a denial, a right claim, and two models of both kinds in one sentence all stay
    for text in ("Llama 3.1 is not API-only [1].", "GPT-4o is only available through an API "
                 "[1].", "BLOOM is downloadable, GPT-4o is API-only [1]."):
        (kept,) = post.parse(text)[0]
        assert step(kept) == kept, text


def test_a_quote_the_model_opened_in_one_sentence_and_closed_in_another_loses_its_marks():
    copied = ('"Open" means open weight [3]. "The most capable models were closed [4]. The lead '
              'has shrunk." [4] "Its largest version has 405B parameters [5]. It says “free” [1].')
    assert [post.unquoted(s).text for s in post.parse(copied)[0]] == [
        '"Open" means open weight.', "The most capable models were closed.",
        "The lead has shrunk.", "Its largest version has 405B parameters.", "It says “free”."]
    (whole,) = post.parse("“Alone [1].")[0]
    assert post.unquoted(whole).text == "Alone."
    (kept,) = post.parse('It is "open weight" at best [2].')[0]
    assert post.unquoted(kept) is kept
    (possessive,) = post.parse("The licence covers the models’ [2].")[0]
    assert post.unquoted(possessive) is possessive
    (closing,) = post.parse("It is called open’ [2].")[0]
    assert post.unquoted(closing).text == "It is called open."


def test_a_paragraph_after_a_list_stands_apart_and_a_continuation_does_not():
    head, a, b = (post.Sentence("It sets these:", (1,)), post.Sentence("- A.", (1,), True),
                  post.Sentence("- B.", (2,), True))
    out = post.render([head, a, b, post.Sentence("It has no C.", (3,), paragraph=True)])
    assert out == "It sets these [1]:\n- A [1].\n- B [2].\n\nIt has no C [3]."
    # 'These include ...' continues the last item's line, as the source has it
    assert post.render([a, post.Sentence("These include D.", (1,))]) == (
        "- A [1]. These include D [1].")
