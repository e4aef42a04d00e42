"""The performance lab: load the installed shop beside two ceilings, measure, keep the data.

``nox -s lab`` runs it on PostgreSQL (ADR 95). The load comes from wrk, a compiled load
generator, so that a ceiling measures the server and not the generator. What it measures
goes into JSON files under ``docs/performance-lab/data/``, with the date, the machine, its
load and the commit; the lab's notebooks plot them when the site is built, and the shop's
benchmark page is written from them.
"""
