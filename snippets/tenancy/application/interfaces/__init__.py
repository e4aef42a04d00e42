"""The ports tenancy's application needs: the tenant directory."""
