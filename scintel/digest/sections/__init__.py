"""The digest's sections, one module each (with its partials in a template of the same name):
`scintel.digest.registry` finds them here, so a new section is a module and a template."""
