"""Data transfer objects: what crosses the application's boundary, validated."""
