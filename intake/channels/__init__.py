"""Channels beyond the desk (DOMAIN.md): matters that arrive online, from the hotline and 110 exports, from
grid members and from other systems (Open311) land here, in the receiving town's queue, through the same
repeat detection as a walk-in."""
