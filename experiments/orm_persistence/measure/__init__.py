"""The measurements of ADR 24: each script writes one JSON file under ``results/``."""
