"""Routing and ownership: transfer or assign (转送/交办) with the receiving body's objection, the owner of a
matter (首接负责), levels and escalation (上报), the 包案 leader and the case grade."""
