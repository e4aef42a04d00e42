"""The payments' repository port."""
