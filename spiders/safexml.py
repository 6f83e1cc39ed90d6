"""XML parsing that never expands entities or touches the network (XXE, billion laughs)."""

from __future__ import annotations

import re

from lxml import etree

_DOCTYPE = re.compile(rb"<!DOCTYPE")
_ENTITY = re.compile(rb"<!ENTITY")


class UnsafeXml(ValueError):
    """A document with a DTD that declares entities; refused rather than parsed."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_xml(body: bytes) -> etree._Element:
    """Parse a response body; raise ValueError (UnsafeXml or syntax) on bad or hostile input."""
    doctype = _DOCTYPE.search(body)
    if doctype:
        end = body.find(b"]>", doctype.end())
        if _ENTITY.search(body, doctype.end(), end if end != -1 else len(body)):
            raise UnsafeXml("XML declares entities in a DTD; refused")
    try:
        root = etree.fromstring(body, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None and len(list(docinfo.internalDTD.iterentities())) > 0:
        raise UnsafeXml("XML declares entities in a DTD; refused")
    return root
