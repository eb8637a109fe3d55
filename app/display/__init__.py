"""The screen in a place's waiting room: the numbers called, and to which desk."""
