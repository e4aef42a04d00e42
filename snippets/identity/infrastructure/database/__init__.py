"""Identity's tables and the stores on them."""
