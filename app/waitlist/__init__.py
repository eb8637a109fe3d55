"""The waitlist: a person asks to be told when a desk frees up on a full day; the scheduler
offers a freed desk to the first in line, held for them a short while, then to the next."""
