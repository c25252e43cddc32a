"""Imports of matters from the 12345 hotline, 110 non-emergency transfers and the grid platform (DOMAIN.md,
channels beyond the desk): every row of the export is checked first, nothing is written on any problem, and a
row lands once per source id through the channels' ``land_matter``."""
