"""The payment aggregate."""
