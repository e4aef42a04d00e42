"""Where e-mails are rendered and where they go: templates, an SMTP server, a directory."""
