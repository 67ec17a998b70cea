"""A Sphinx directive that documents one module of semconc by its public names.

``semconc-module`` takes a module path such as ``semconc.overlaps``; it shows
the module's docstring and documents every name in the module's ``__all__``
under its public path ``semconc.<name>``, the path chapters refer to.
"""

from __future__ import annotations

import importlib
import inspect

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList
from sphinx.util.nodes import nested_parse_with_titles


class SemconcModule(Directive):
    """Document a module's docstring and its public names."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        module = importlib.import_module(name)
        # Pages are MyST documents, so nested content is parsed as MyST; the
        # autodoc output is reStructuredText, hence the eval-rst wrapper.
        # Everything is documented under the public path ``semconc.<name>``, so
        # a docstring may refer to a sibling as :func:`name`.
        rst = [".. currentmodule:: semconc", ""]
        rst += inspect.cleandoc(module.__doc__ or "").splitlines() + [""]
        for public in getattr(module, "__all__", []):
            if inspect.isclass(getattr(module, public)):
                rst += [f".. autoclass:: {public}", "   :members:", ""]
            else:
                rst += [f".. autofunction:: {public}", ""]
        lines = ["```{eval-rst}", *rst, "```"]
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(lines, source=name), container)
        return container.children


def setup(app):
    app.add_directive("semconc-module", SemconcModule)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
