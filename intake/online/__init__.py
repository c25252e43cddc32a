"""Citizens report a matter online (网上反映): the public form, its abuse guard, the tracking-code receipt."""
