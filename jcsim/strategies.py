"""Hypothesis strategies for card tests: command APDUs, class bytes, AIDs and status words.

::

    from hypothesis import given
    from jcsim import Simulator
    from jcsim import strategies as jst

    @given(jst.command_apdus(cla=jst.class_bytes(channel=0), ins=0x20))
    def test_verify_never_crashes(command):
        sim = Simulator()  # a fresh card per example (a fixture would be shared by all)
        sim.install(PinApplet, AID)
        sim.select(AID)
        assert sim.transmit(command).sw != 0x6F00

Command APDUs follow ISO/IEC 7816-4 §5.1 (the seven cases, short and extended lengths); class
bytes its §5.4.1 coding of logical channels, secure messaging and chaining, as the Java Card RE
reads it (``jcsim.framework.cla``); AIDs ISO/IEC 7816-5 (a 5-byte RID, then up to 11 bytes of
PIX); status words §5.6: SW1 ``61``-``6F`` or ``90``-``9F``. The values are ``CommandAPDU`` and
``AID`` objects, whose repr is Python, so a failing example prints as a reproduction. Needs
hypothesis (the ``test`` extra).
"""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import strategies as st

from jcsim.apdu import CommandAPDU
from jcsim.framework.aid import AID, MAX_LENGTH, RID_LENGTH
from jcsim.framework.cla import CLA_TABLE

__all__ = [
    "CASES",
    "STATUS_KINDS",
    "aids",
    "class_bytes",
    "command_apdus",
    "instruction_bytes",
    "status_words",
]

CASES = ("1", "2S", "3S", "4S", "2E", "3E", "4E")
STATUS_KINDS = ("normal", "warning", "execution error", "checking error", "proprietary")
_SW1_OF_KIND = {
    "normal": (0x61,),  # with 9000, below
    "warning": (0x62, 0x63),
    "execution error": (0x64, 0x65, 0x66),
    "checking error": tuple(range(0x67, 0x70)),
    "proprietary": tuple(range(0x91, 0xA0)),  # and 90xx but 9000
}
IntOrStrategy = int | st.SearchStrategy[int] | None


def class_bytes(channel: int | Iterable[int] | None = None, *,
                interindustry: bool | None = None, secure_messaging: bool | None = None,
                chaining: bool | None = None) -> st.SearchStrategy[int]:
    """Valid class bytes (never ``FF`` nor ``2x``/``3x``): for one logical channel (0-19),
    several, or any; interindustry or proprietary, with or without secure messaging or
    chaining, as asked (``None``: either)."""
    channels = (set(range(20)) if channel is None else
                {channel} if isinstance(channel, int) else set(channel))
    if not channels or not channels <= set(range(20)):
        raise ValueError(f"logical channels are numbered 0 to 19, not {sorted(channels)}")
    values = [info.cla for info in CLA_TABLE if info is not None
              and info.channel in channels
              and interindustry in (None, info.interindustry)
              and secure_messaging in (None, info.secure_messaging)
              and chaining in (None, info.chaining)]
    if not values:
        raise ValueError("no class byte has all of those properties")
    return st.sampled_from(values)


def instruction_bytes() -> st.SearchStrategy[int]:
    """INS values a T=0 reader can carry: any byte but ``6x`` and ``9x`` (ISO 7816-3 §10.3.2)."""
    return st.integers(0, 255).filter(lambda ins: ins >> 4 not in (0x6, 0x9))


def _byte_strategy(value: IntOrStrategy, default: st.SearchStrategy[int]
                   ) -> st.SearchStrategy[int]:
    if value is None:
        return default
    if isinstance(value, int):
        return st.just(value)
    return value


def command_apdus(cases: str | Iterable[str] = CASES, *, cla: IntOrStrategy = None,
                  ins: IntOrStrategy = None, p1: IntOrStrategy = None,
                  p2: IntOrStrategy = None, max_extended_data: int = 1024
                  ) -> st.SearchStrategy[CommandAPDU]:
    """Command APDUs of the given cases (``"1"``, ``"2S"``, ``"3S"``, ``"4S"``, ``"2E"``,
    ``"3E"``, ``"4E"``; all by default), each value encoding as that case.

    ``cla``, ``ins``, ``p1``, ``p2`` are a fixed byte or a strategy (by default: class bytes of
    the basic channel, ``instruction_bytes()``, any byte). Short cases carry 1-255 data bytes
    and Ne 1-256; extended ones 1-``max_extended_data`` data bytes (at most 65535) and Ne
    1-65536.
    """
    wanted = (cases,) if isinstance(cases, str) else tuple(cases)
    unknown = set(wanted) - set(CASES)
    if not wanted or unknown:
        raise ValueError(f"command cases are {', '.join(CASES)}, not {sorted(unknown)}")
    if not 1 <= max_extended_data <= 65535:
        raise ValueError("extended commands carry 1 to 65535 data bytes")
    header = st.tuples(_byte_strategy(cla, class_bytes(channel=0)),
                       _byte_strategy(ins, instruction_bytes()),
                       _byte_strategy(p1, st.integers(0, 255)),
                       _byte_strategy(p2, st.integers(0, 255)))
    return st.one_of([_case(case, header, max_extended_data) for case in wanted])


def _case(case: str, header: st.SearchStrategy[tuple[int, int, int, int]],
          max_extended_data: int) -> st.SearchStrategy[CommandAPDU]:
    extended = case.endswith("E")
    has_data = case[0] in "34"
    has_le = case[0] in "24"
    # The length is drawn first, over its whole range: drawn as a byte string, the data would
    # stay short, and the bugs are in the long commands (buffers, chaining, extended length).
    data = (st.integers(1, max_extended_data if extended else 255).flatmap(
        lambda n: st.binary(min_size=n, max_size=n)) if has_data else st.just(b""))
    ne = st.integers(1, 65536 if extended else 256) if has_le else st.none()

    def build(parts: tuple[tuple[int, int, int, int], bytes, int | None]) -> CommandAPDU:
        (cla_value, ins_value, p1_value, p2_value), body, le = parts
        return CommandAPDU(cla_value, ins_value, p1_value, p2_value, body, le, extended)

    return st.tuples(header, data, ne).map(build)


def aids(*, rid: bytes | None = None, min_size: int = RID_LENGTH,
         max_size: int = MAX_LENGTH) -> st.SearchStrategy[AID]:
    """AIDs of ``min_size`` to ``max_size`` bytes (5-16), under a given 5-byte ``rid`` or any."""
    if not RID_LENGTH <= min_size <= max_size <= MAX_LENGTH:
        raise ValueError(f"AIDs have {RID_LENGTH} to {MAX_LENGTH} bytes")
    if rid is not None and len(rid) != RID_LENGTH:
        raise ValueError(f"a RID has {RID_LENGTH} bytes, not {len(rid)}")
    rids = st.just(bytes(rid)) if rid is not None else st.binary(min_size=RID_LENGTH,
                                                                 max_size=RID_LENGTH)
    pixes = st.binary(min_size=min_size - RID_LENGTH, max_size=max_size - RID_LENGTH)
    return st.builds(lambda r, p: AID(r + p), rids, pixes)


def status_words(*kinds: str) -> st.SearchStrategy[int]:
    """Status words (as ints) of the given kinds, all by default: ``"normal"`` (9000, 61xx),
    ``"warning"`` (62xx, 63xx), ``"execution error"`` (64xx-66xx), ``"checking error"``
    (67xx-6Fxx) and ``"proprietary"`` (9xxx but 9000)."""
    chosen = kinds or STATUS_KINDS
    unknown = set(chosen) - set(STATUS_KINDS)
    if unknown:
        raise ValueError(f"status word kinds are {', '.join(STATUS_KINDS)}, not "
                         f"{sorted(unknown)}")
    parts: list[st.SearchStrategy[int]] = []
    for kind in chosen:
        sw1s = _SW1_OF_KIND[kind]
        parts.append(st.builds(lambda sw1, sw2: sw1 << 8 | sw2, st.sampled_from(sw1s),
                               st.integers(0, 255)))
        if kind == "normal":
            parts.append(st.just(0x9000))
        if kind == "proprietary":
            parts.append(st.integers(0x9001, 0x90FF))
    return st.one_of(parts)
