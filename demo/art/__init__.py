"""Batik drawn with Pillow for the demo: motifs, cloth, garments and the scenes they make."""
