"""Statistics for the office: what people asked for, what the office offered and how it went."""
