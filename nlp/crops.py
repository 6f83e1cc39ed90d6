"""Crops named by their common names: the plant is an organism, its harvest a feedstock.

"Wheat stem sawfly damages wheat", "barley modified for ...", "a line of tomato": the
species, an ORGANISM (the guide's species, by any name). "Corn stover", "rapeseed oil",
"potato peel": the material, a CHEMICAL named with its crop. On train and dev a crop word
standing alone is marked as an organism most of the time; before a material noun it is
part of the chemical's name. Energy crops grown as feedstock (switchgrass, poplar,
miscanthus, sorghum, rapeseed) are feedstocks in this field's texts and not listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CROPS = frozenset(
    [
        "wheat", "corn", "maize", "barley", "rice", "oats", "rye", "millet", "soybean",
        "soybeans", "soya", "pea", "peas", "potato", "potatoes", "tomato", "tomatoes",
        "lettuce", "canola", "cassava", "alfalfa", "tobacco", "brassicas", "cabbage",
        "spinach", "chickpea", "chickpeas", "lentil", "lentils", "peanut", "peanuts",
    ]
)  # fmt: skip
# Words after a crop that leave it the plant: a function word or verb, or a word for the
# plant itself. Any other word makes the crop a modifier ("corn stover", "pea protein",
# "corn ethanol", "wheat stem sawfly"), part of another name.
_AFTER_PLANT = frozenset(
    [
        "and", "or", "with", "in", "for", "to", "is", "are", "was", "were", "has", "have",
        "can", "by", "on", "at", "from", "as", "that", "which", "modified", "plant",
        "plants", "crop", "crops", "variety", "varieties", "line", "lines", "cultivar",
        "cultivars", "field", "fields", "genome", "genomes", "seedlings", "growers",
        "production", "yield", "yields", "breeding", "resistant", "tolerant",
    ]
)  # fmt: skip
_CROP = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, CROPS), key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")


def plants(text: str) -> Iterator[tuple[int, int]]:
    """Spans of crop names that stand for the plant: not before a material noun, not a
    capitalised word inside a name."""
    for match in _CROP.finditer(text):
        word = match.group(1)
        if word[0].isupper() and match.start() and text[match.start() - 1] not in "\n":
            before = text[: match.start()].rstrip()
            if before and before[-1] not in ".:!?":
                continue  # "New Cotton", "Corn Belt": inside a name or a title
        after = _NEXT_WORD.match(text, match.end())
        if after and after.group(1).lower() not in _AFTER_PLANT:
            continue  # "corn stover", "corn ethanol", "wheat stem sawfly": a modifier
        yield match.span()
