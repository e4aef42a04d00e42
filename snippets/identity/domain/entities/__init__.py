"""The aggregates of identity: the User."""
