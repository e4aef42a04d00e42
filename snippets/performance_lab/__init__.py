"""The performance lab's notebooks: the last ``nox -s lab`` run's figures, plotted.

Each module is a notebook in jupytext's percent format: the site executes it when it is
built (mkdocs-jupyter) and shows its cells and its figures; the tests import it, which runs
every cell on the committed data (ADR 95).
"""
