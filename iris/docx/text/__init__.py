"""Unit text: inline tag syntax and repair, protected spans, sentence segmentation, units."""
