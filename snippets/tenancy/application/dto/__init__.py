"""What comes out of tenancy: the view of a tenant."""
