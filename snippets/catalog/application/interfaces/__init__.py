"""The ports the catalog's application needs: its unit of work and its query port."""
