"""The aggregates of tenancy: the Tenant."""
