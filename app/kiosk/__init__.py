"""The check-in kiosk at a place's entrance: visitors type the code of their confirmation."""
