"""``javacardx.framework.string``: UTF-8 strings in byte arrays (``StringUtil``) and
``StringException``."""

from jcsim.x.framework.string.string_util import StringException, StringUtil

__all__ = ["StringException", "StringUtil"]
