"""semconc: the executable companion to *Semantic Concurrency Limits*.

The package re-exports the public names of its modules (each module lists
them in its ``__all__``); each module states the mathematical result it
implements in its own docstring.
"""

from . import (
    _backend,
    capacity,
    contexts,
    embeddings,
    hinge,
    interference,
    overlaps,
    packing,
    transformer,
)
from . import sweep as _sweep  # the module; the name 'sweep' is its function
from ._backend import *  # noqa: F403
from .capacity import *  # noqa: F403
from .contexts import *  # noqa: F403
from .embeddings import *  # noqa: F403
from .hinge import *  # noqa: F403
from .interference import *  # noqa: F403
from .overlaps import *  # noqa: F403
from .packing import *  # noqa: F403
from .sweep import *  # noqa: F403
from .transformer import *  # noqa: F403

__version__ = "0.1.0"

__all__ = [
    *_backend.__all__,
    *overlaps.__all__,
    *capacity.__all__,
    *packing.__all__,
    *interference.__all__,
    *_sweep.__all__,
    *embeddings.__all__,
    *transformer.__all__,
    *contexts.__all__,
    *hinge.__all__,
]
