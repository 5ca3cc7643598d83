"""Reading: story parts, normalisation, paragraph models, and every other place text lives."""
