"""The tenancy domain: the Tenant and the errors of registering and finding one."""
