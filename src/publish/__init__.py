"""publish: a bilingual publishing and translation pipeline.

The stages, in the order data flows through them:
config → source → normalize → segment → units → catalog → check → assemble → render.
"""
__version__ = "0.1.0"
