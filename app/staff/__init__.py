"""The unit staff's area: agenda, requests to decide, visit actions, closures, day exports."""
