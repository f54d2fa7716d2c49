"""igf-mapper: map who engages on which Internet governance / GDC implementation activity."""

__version__ = "0.1.0"
