"""Demo data at an office's scale (``flask demo seed``), for trying and measuring Wizyta."""
