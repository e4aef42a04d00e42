"""The values a product is made of, one module each: its id, SKU, name, and the rule for prices."""
