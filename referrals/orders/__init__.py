"""Dispatch orders to county departments (基层发令、部门执行): issue, sign, report back, verify, clocks."""
