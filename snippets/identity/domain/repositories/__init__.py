"""The port through which identity stores its users."""
