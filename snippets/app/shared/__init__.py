"""Code every layer outside the domain may use: configuration."""
