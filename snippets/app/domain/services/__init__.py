"""Domain services: rules that involve more than one aggregate."""
