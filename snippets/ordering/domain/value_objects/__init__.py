"""The values an order is made of, one module each: its id, a quantity, its status."""
