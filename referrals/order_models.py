"""Tables of dispatch orders (基层发令、部门执行)."""
__all__: list[str] = []
