"""Runs the pages: doctest sessions and console sessions are tests of the suite."""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser

from handbook.checks import Settings
from handbook.console import ConsoleParser
from handbook.paths import repository_root

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        ConsoleParser(Settings.read(repository_root()).console),
    ],
    patterns=["*.md"],
    excludes=["assets/*"],
).pytest()
