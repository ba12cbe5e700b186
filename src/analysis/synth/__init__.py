"""A synthetic partnerships package of any size, for load and scale tests.

The shape follows the embedded data and what is known about German town twinning: about
one home municipality (in Germany) per ten partnerships, partners on every inhabited
continent with most of them in Europe, one to five status rows per partnership in a
plausible order, zero to four themes, a source for every status and theme row. Countries
are real (ISO codes, German and English names); places and sources are not, and say so
("Partnerstadt 12345", https://example.org/...). Coordinates are drawn inside land boxes
of the country. The same seed gives the same bytes.
"""

from analysis.synth.countries import synth_countries
from analysis.synth.package import synthetic_descriptor, synthetic_frames, write_synthetic_package

__all__ = ["synth_countries", "synthetic_descriptor", "synthetic_frames", "write_synthetic_package"]
